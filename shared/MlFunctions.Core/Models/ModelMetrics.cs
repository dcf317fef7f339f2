namespace MlFunctions.Core.Models;

/// <summary>The holdout metrics each task reports; the first is the default for promotion.</summary>
public static class ModelMetrics
{
    public static string[] For(string task) => task switch
    {
        ModelTask.Binary => ["auc", "accuracy", "f1", "logLoss"],
        ModelTask.Multiclass => ["macroAccuracy", "microAccuracy", "logLoss"],
        ModelTask.Regression => ["rmse", "mae", "rSquared"],
        ModelTask.ImageClassification => ["macroAccuracy", "microAccuracy"],
        _ => [],
    };

    public static bool HigherIsBetter(string metric) => metric is not ("logLoss" or "rmse" or "mae");
}
