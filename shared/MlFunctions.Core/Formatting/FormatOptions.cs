using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Formatting;

/// <summary>How rows of scores are turned into labelled predictions.</summary>
/// <param name="Labels">One name per score column; for a single score column, [negative, positive].</param>
/// <param name="TopK">How many of the most probable labels each row lists.</param>
/// <param name="Threshold">Binary: the positive decision threshold (0.5 when null). Multi-label: the cut for listed labels. Multi-class: below it, no label.</param>
public sealed record FormatOptions(string[] Labels, Activation Activation, int TopK, double? Threshold)
{
    /// <summary>Checks a requested top-k and threshold (400s naming them) and limits top-k to the labels there are.</summary>
    public static FormatOptions Create(string[] labels, Activation activation, int? topK, double? threshold)
    {
        if (topK is < 1)
        {
            throw Parameters.Invalid("topK", $"{topK} is not a positive whole number.");
        }
        if (threshold is { } value && (!double.IsFinite(value) || value < 0 || value > 1))
        {
            throw Parameters.Invalid("threshold", $"{value} is not a probability from 0 to 1.");
        }
        return new FormatOptions(labels, activation, Math.Min(topK ?? 5, labels.Length), threshold);
    }
}
