using System.Text.Json;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Models.Explanations;

namespace MlFunctions.Core.Json;

/// <summary>POST /api/predict/{model}: records, and optionally how many labels to list and a threshold.</summary>
public sealed record PredictRequest
{
    public JsonElement Records { get; init; }

    public int? TopK { get; init; }

    public double? Threshold { get; init; }

    /// <summary>Adds each record's explanation (as ?explain=true does).</summary>
    public bool? Explain { get; init; }
}

/// <summary>The model and version that answered; predictions for classification, values for regression.</summary>
/// <remarks>
/// An image-embedding model answers <paramref name="Embedding"/>: the image's vector, of unit length
/// unless its manifest says otherwise; an object-detection model <paramref name="Detections"/>, most confident first.
/// </remarks>
public sealed record PredictResponse(string Model, string Version, string Task, Prediction[]? Predictions = null, double[]? Values = null, float[]? Embedding = null, Detection[]? Detections = null, Explanation[]? Explanations = null);
