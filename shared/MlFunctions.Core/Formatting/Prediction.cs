using System.Text.Json.Serialization;

namespace MlFunctions.Core.Formatting;

/// <summary>One label and its probability.</summary>
public sealed record LabelProbability(string Label, double Probability);

/// <summary>
/// A formatted row: the chosen label (null when no label clears the threshold) and its probability,
/// the top-k labels, and for multi-label (sigmoid over several columns) every label over the threshold.
/// A null label is written as null, not left out: "no label" is an answer.
/// </summary>
public sealed record Prediction(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Label,
    double Probability,
    LabelProbability[] Top,
    string[]? Labels = null);
