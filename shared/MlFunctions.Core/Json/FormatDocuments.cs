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

    /// <summary>Detection: N boxes of 4 coordinates, with <see cref="Scores"/> (or <see cref="Logits"/>) as N rows of class scores.</summary>
    public double[][]? Boxes { get; init; }

    /// <summary>Detection: xyxy (the default) or cxcywh.</summary>
    public string? BoxFormat { get; init; }

    /// <summary>Detection: coordinates are fractions of the input's size (needs <see cref="Transform"/>).</summary>
    public bool? Normalized { get; init; }

    /// <summary>Detection: the IoU above which NMS drops the lower-scoring box (0.45).</summary>
    public double? Iou { get; init; }

    public int? MaxDetections { get; init; }

    public bool? ClassAgnostic { get; init; }

    /// <summary>Detection: the tensor function's transform record, to answer boxes in the original image's pixels.</summary>
    public Imaging.ImageTransform? Transform { get; init; }
}

/// <summary>The objects found, most confident first.</summary>
public sealed record DetectionsDocument(Detection[] Detections);

/// <summary>One prediction per input row, in input order.</summary>
public sealed record PredictionsDocument(Prediction[] Predictions);
