using MlFunctions.Core.Formatting;

namespace MlFunctions.Core.Json;

/// <summary>POST /api/format: rows of scores (or logits) and how to label them.</summary>
public sealed record FormatRequest
{
    public double[][]? Scores { get; init; }

    public double[][]? Logits { get; init; }

    public string[]? Labels { get; init; }

    public string? Activation { get; init; }

    public int? TopK { get; init; }

    public double? Threshold { get; init; }

    public string? Output { get; init; }
}

/// <summary>One prediction per input row, in input order.</summary>
public sealed record PredictionsDocument(Prediction[] Predictions);
