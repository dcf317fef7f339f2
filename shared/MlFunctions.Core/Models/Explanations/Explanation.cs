namespace MlFunctions.Core.Models.Explanations;

/// <summary>
/// Why one record scored as it did: <paramref name="Margin"/> is the raw output explained (binary: the
/// positive class's score before calibration; multiclass: the predicted class's; regression: the
/// value), and it equals <paramref name="Base"/> plus the sum of <paramref name="Contributions"/>, one
/// per input column (its features' contributions summed), in the spec's column order.
/// </summary>
/// <param name="Output">The label explained (the predicted class, or the positive label); null for regression.</param>
/// <param name="Method">linear (exact) or path (tree decision paths).</param>
public sealed record Explanation(string? Output, string Method, double Base, double Margin, Dictionary<string, double> Contributions);
