using System.Text.Json.Serialization;

namespace MlFunctions.Core.Models.Bundle;

/// <summary>
/// The parameters of a model: one raw output per score column, from linear weights or tree ensembles,
/// and the link that turns raw outputs into what is predicted.
/// </summary>
public sealed record ScoringModel
{
    /// <summary>identity (regression), platt (binary: the calibrator of output 0), softmax (multiclass over raw outputs), or normalize (multiclass: each output calibrated, then scaled to sum to 1).</summary>
    public required string Link { get; init; }

    public LinearOutput[]? Linear { get; init; }

    public TreeEnsembleOutput[]? Trees { get; init; }

    /// <summary>One per output, for the platt and normalize links.</summary>
    public PlattCalibration[]? Calibrators { get; init; }

    public const string Identity = "identity";
    public const string Platt = "platt";
    public const string Softmax = "softmax";
    public const string Normalize = "normalize";
}

/// <summary>raw = bias + weights . features.</summary>
public sealed record LinearOutput(float[] Weights, float Bias);

/// <summary>
/// raw = bias + the sum over trees of weight * leaf value. The trees are written as one string (see
/// <see cref="PackedTrees"/>). <paramref name="LeafCounts"/>: how many training rows reached each leaf,
/// every tree's leaves in order (one base64 string of int32s), so an explanation can weigh each branch
/// as the training data did; bundles written before explanations have none.
/// </summary>
public sealed record TreeEnsembleOutput(
    double Bias,
    [property: JsonConverter(typeof(PackedTreesConverter))] RegressionTreeData[] Trees,
    [property: JsonConverter(typeof(PackedCountsConverter))] int[]? LeafCounts = null);

/// <summary>
/// One regression tree as ML.NET stores it: node i sends features[SplitFeatures[i]] &lt;= Thresholds[i]
/// to Left[i], otherwise to Right[i]; a negative child c is leaf ~c.
/// </summary>
public sealed record RegressionTreeData(double Weight, int[] SplitFeatures, float[] Thresholds, int[] Left, int[] Right, double[] Leaves);

/// <summary>Platt scaling: probability = 1 / (1 + exp(Slope * raw + Offset)).</summary>
public sealed record PlattCalibration(double Slope, double Offset);

/// <summary>Where a model came from.</summary>
public sealed record TrainingInfo(
    string DataHash,
    long TrainRows,
    long HoldoutRows,
    long SkippedRows,
    int Seed,
    double Holdout,
    DateTimeOffset CreatedAt,
    Dictionary<string, string> Versions);
