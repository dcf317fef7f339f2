namespace MlFunctions.Core.Models;

/// <summary>What a model predicts, as written in model specs and bundles.</summary>
public static class ModelTask
{
    public const string Binary = "binary";
    public const string Multiclass = "multiclass";
    public const string Regression = "regression";

    /// <summary>Trained from a zip of label folders into an ONNX model (a backbone and a linear head), not a bundle.</summary>
    public const string ImageClassification = "image-classification";

    /// <summary>The tasks of bundles (and of ONNX models over JSON records).</summary>
    public static readonly string[] All = [Binary, Multiclass, Regression];

    /// <summary>What a model spec may ask the Trainer for.</summary>
    public static readonly string[] Trainable = [Binary, Multiclass, Regression, ImageClassification];
}
