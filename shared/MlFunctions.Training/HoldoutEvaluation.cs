using System.Globalization;
using Microsoft.ML;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;

namespace MlFunctions.Training;

/// <summary>
/// A model's holdout metrics by ML.NET's evaluator for its task. One code path scores the challenger
/// when it is trained and the champion when a retrain compares the two, so the comparison is fair.
/// </summary>
internal static class HoldoutEvaluation
{
    /// <param name="classes">binary: [negative, positive]; multiclass: the model's classes in key order.</param>
    public static Dictionary<string, double> Evaluate(MLContext ml, string task, ITransformer model, float[][] features, string[] labels, string[]? classes, string labelColumn)
    {
        var width = features.Length > 0 ? features[0].Length : 0;
        switch (task)
        {
            case ModelTask.Binary:
                var binary = ml.BinaryClassification.Evaluate(model.Transform(TrainingSchemas.Load(ml,
                    features.Zip(labels, (x, y) => new BinaryRow { Features = x, Label = y == classes![1] }), width)));
                return new() { ["auc"] = binary.AreaUnderRocCurve, ["accuracy"] = binary.Accuracy, ["f1"] = binary.F1Score, ["logLoss"] = binary.LogLoss };
            case ModelTask.Multiclass:
                var keys = classes!.Select((label, i) => (label, key: (uint)i)).ToDictionary(p => p.label, p => p.key, StringComparer.Ordinal);
                // A holdout row whose class the model never saw cannot be scored against it.
                var rows = features.Zip(labels).Where(p => keys.ContainsKey(p.Second)).Select(p => new MulticlassRow { Features = p.First, Label = keys[p.Second] });
                var multiclass = ml.MulticlassClassification.Evaluate(model.Transform(TrainingSchemas.Load(ml, rows, width, classes!.Length)));
                return new() { ["macroAccuracy"] = multiclass.MacroAccuracy, ["microAccuracy"] = multiclass.MicroAccuracy, ["logLoss"] = multiclass.LogLoss };
            default:
                var regression = ml.Regression.Evaluate(model.Transform(TrainingSchemas.Load(ml,
                    features.Zip(labels, (x, y) => new RegressionRow { Features = x, Label = Number(labelColumn, y) }), width)));
                return new() { ["rmse"] = regression.RootMeanSquaredError, ["mae"] = regression.MeanAbsoluteError, ["rSquared"] = regression.RSquared };
        }
    }

    public static float Number(string labelColumn, string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && float.IsFinite(number)
            ? number
            : throw ProblemType.InvalidRecord.With($"A regression label must be a number; '{labelColumn}' has '{value}'.", labelColumn);
}
