namespace MlFunctions.Core.Formatting;

/// <summary>How rows of scores are turned into labelled predictions.</summary>
/// <param name="Labels">One name per score column; for a single score column, [negative, positive].</param>
/// <param name="TopK">How many of the most probable labels each row lists.</param>
/// <param name="Threshold">Binary: the positive decision threshold (0.5 when null). Multi-label: the cut for listed labels. Multi-class: below it, no label.</param>
public sealed record FormatOptions(string[] Labels, Activation Activation, int TopK, double? Threshold);
