namespace MlFunctions.Core.Models;

/// <summary>What a model predicts, as written in model specs and bundles.</summary>
public static class ModelTask
{
    public const string Binary = "binary";
    public const string Multiclass = "multiclass";
    public const string Regression = "regression";

    public static readonly string[] All = [Binary, Multiclass, Regression];
}
