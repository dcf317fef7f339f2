using MlFunctions.Core.Features;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Tests.Models;

/// <summary>Small bundles written by hand, so serving is tested without ML.NET.</summary>
internal static class TestBundles
{
    // Features: x standardized with mean 10 and std 2, then colour one-hot over [blue, red] plus unknown.
    private static readonly FeatureSpec Spec = new(
    [
        new ColumnSpec { Name = "x", Kind = ColumnKind.Numeric, Fitted = new ColumnStats { Fill = 10, Mean = 10, Std = 2 } },
        new ColumnSpec { Name = "colour", Kind = ColumnKind.Categorical, Fitted = new ColumnStats { Categories = ["blue", "red"] } },
    ]);

    public static readonly float[][] MulticlassWeights = [[1, 0, 0, 0], [0, 2, 0, 0], [-1, 0, 1, 0]];
    public static readonly float[] MulticlassBias = [0, -1, 0.5f];

    public static ModelBundle Multiclass(string name, string version) => Bundle(name, version, ModelTask.Multiclass, ["cat", "dog", "eel"],
        new ScoringModel { Link = ScoringModel.Softmax, Linear = MulticlassWeights.Select((w, c) => new LinearOutput(w, MulticlassBias[c])).ToArray() });

    public static ModelBundle Binary(string name, string version) => Bundle(name, version, ModelTask.Binary, ["no", "yes"],
        new ScoringModel { Link = ScoringModel.Platt, Linear = [new LinearOutput([1, 0, 0, 0], 0)], Calibrators = [new PlattCalibration(-1, 0)] });

    /// <summary>Two trees: x &lt;= 0.5 (standardized) gives 1 else 3; colour=red &gt; 0.5 adds 10. Training sent 3 rows left and 1 right in the first, 2 and 2 in the second.</summary>
    public static ModelBundle Regression(string name, string version) => Bundle(name, version, ModelTask.Regression, null, new ScoringModel
    {
        Link = ScoringModel.Identity,
        Trees = [new TreeEnsembleOutput(100, [
            new RegressionTreeData(1, [0], [0.5f], [-1], [-2], [1, 3]),
            new RegressionTreeData(1, [2], [0.5f], [-1], [-2], [0, 10]),
        ], LeafCounts: [3, 1, 2, 2])],
    });

    private static ModelBundle Bundle(string name, string version, string task, string[]? labels, ScoringModel model) => new()
    {
        Format = ModelBundle.CurrentFormat,
        Name = name,
        Version = version,
        Task = task,
        Trainer = "hand-written",
        LabelColumn = "y",
        Features = Spec,
        Labels = labels,
        Model = model,
        Metrics = new Dictionary<string, double> { ["macroAccuracy"] = 0.5 },
        Training = new TrainingInfo("sha256:0", 1, 1, 0, 42, 0.2, DateTimeOffset.UnixEpoch, []),
    };
}
