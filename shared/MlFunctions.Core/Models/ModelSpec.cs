using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;

namespace MlFunctions.Core.Models;

/// <summary>How to train a model from a CSV: the task, the label column, the features and the trainer.</summary>
public sealed record ModelSpec
{
    /// <summary>binary, multiclass or regression; or image-classification, trained from a zip of label folders.</summary>
    public required string Task { get; init; }

    /// <summary>The column to predict (tabular tasks; an image classifier's labels are its zip's folders).</summary>
    public string Label { get; init; } = "";

    /// <summary>linear (SDCA, the default) or tree (FastTree; LightGBM for multiclass).</summary>
    public string? Trainer { get; init; }

    /// <summary>The feature spec, unfitted or fitted; proposed from the data (without the label) when left out.</summary>
    public FeatureSpec? Features { get; init; }

    /// <summary>The share of rows held out for evaluation (default 0.2).</summary>
    public double? Holdout { get; init; }

    /// <summary>The seed for the split and the trainer (default 42): the same data and spec give the same model.</summary>
    public int? Seed { get; init; }

    /// <summary>binary: the label value that is the positive class (default: true/yes/1, else the second in sorted order).</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>Trainer iterations (SDCA passes, or trees); the trainer's default when left out.</summary>
    public int? Iterations { get; init; }

    /// <summary>tree: leaves per tree (default 20).</summary>
    public int? Leaves { get; init; }

    /// <summary>The holdout metric that decides whether a new model beats the champion (see <see cref="ModelMetrics"/>).</summary>
    public string? Metric { get; init; }

    /// <summary>How much better the challenger must be on <see cref="Metric"/> to be promoted (default 0).</summary>
    public double? Margin { get; init; }

    /// <summary>
    /// A fixed evaluation set in the bucket (such as models/&lt;model&gt;/eval.csv, or .jsonl or .parquet):
    /// challenger and champion are both scored on it as well as on the holdout, and its metric decides.
    /// </summary>
    public string? EvalSet { get; init; }

    /// <summary>The least the challenger's metric must reach to be promoted at all (for rmse, mae and logLoss, where lower is better: the most it may be).</summary>
    public double? Minimum { get; init; }

    /// <summary>How much better than the champion, as a share of the champion's metric (0.02: 2 % better), besides <see cref="Margin"/>.</summary>
    public double? RelativeMargin { get; init; }

    /// <summary>auto (the default): a challenger that passes the gates is promoted; manual: its job waits in "awaiting approval" for an approve call.</summary>
    public string? Approval { get; init; }

    /// <summary>Data capture: the share of predict's records (0 to 1) written to capture/&lt;model&gt;/ for drift monitoring.</summary>
    public CaptureSpec? Capture { get; init; }

    /// <summary>Drift monitoring's thresholds and window.</summary>
    public DriftSpec? Drift { get; init; }

    public const string ManualApproval = "manual";
    public const int MaxEvalSetKey = 1024;

    public const string Linear = "linear";
    public const string Tree = "tree";

    public ModelSpec Validate()
    {
        Check(ModelTask.Trainable.Contains(Task), "task", $"'{Task}' is not one of: {string.Join(", ", ModelTask.Trainable)}.");
        if (Task == ModelTask.ImageClassification)
        {
            Check(Features is null, "features", "an image classifier's features are its backbone's; leave them out.");
        }
        else
        {
            Check(!string.IsNullOrWhiteSpace(Label), "label", "name the column to predict.");
        }
        Check(Trainer is null or Linear or Tree, "trainer", $"'{Trainer}' is not one of: linear, tree.");
        Check(Holdout is null or (> 0 and <= 0.5), "holdout", "must be a share above 0 and at most 0.5.");
        Check(Iterations is null or (>= 1 and <= 10_000), "iterations", "must be from 1 to 10000.");
        Check(Leaves is null or (>= 2 and <= 1_000), "leaves", "must be from 2 to 1000.");
        Check(Metric is null || ModelMetrics.For(Task).Contains(Metric), "metric", $"must be one of: {string.Join(", ", ModelMetrics.For(Task))}.");
        Check(Minimum is null || double.IsFinite(Minimum.Value), "minimum", "must be a finite number.");
        Check(Margin is null || (double.IsFinite(Margin.Value) && Margin >= 0), "margin", "must be a number of at least 0.");
        Check(RelativeMargin is null || (double.IsFinite(RelativeMargin.Value) && RelativeMargin is >= 0 and <= 10), "relativeMargin", "must be a share from 0 to 10.");
        Check(Approval is null or "auto" or ManualApproval, "approval", "must be auto or manual.");
        Check(EvalSet is null || (Task != ModelTask.ImageClassification && ValidKey(EvalSet)), "evalSet",
            Task == ModelTask.ImageClassification ? "image classifiers are compared on their holdout images only." : $"must be a key in the bucket ending in .csv, .jsonl, .ndjson or .parquet, at most {MaxEvalSetKey} characters, without '..'.");
        Check(Capture is null || Capture.Rate is >= 0 and <= 1, "capture.rate", "must be a share from 0 to 1.");
        Check(Drift?.Psi is null or (> 0 and <= 10), "drift.psi", "must be a number above 0 and at most 10.");
        Check(Drift?.Ks is null or (> 0 and <= 1), "drift.ks", "must be a number above 0 and at most 1.");
        Check(Drift?.Days is null or (>= 1 and <= 90), "drift.days", "must be from 1 to 90.");
        Check(Drift?.Minutes is null or (>= 1 and <= 10_080), "drift.minutes", "must be from 1 to 10080 (a week).");
        Check(Features?.Columns.Any(c => c.Name == Label) != true, "features", $"the label column '{Label}' cannot also be a feature.");
        Features?.Validate(fitted: false);
        return this;
    }

    /// <summary>The metric promotion compares, and whether larger is better.</summary>
    public (string Name, bool HigherIsBetter) PromotionMetric()
    {
        var name = Metric ?? ModelMetrics.For(Task)[0];
        return (name, ModelMetrics.HigherIsBetter(name));
    }

    private static bool ValidKey(string key) => key.Length is > 0 and <= MaxEvalSetKey && !key.StartsWith('/') && !key.Contains("..", StringComparison.Ordinal)
        && !key.Any(char.IsControl) && Tabular.TableFiles.FormatOf(key) is not null;

    private static void Check(bool ok, string field, string detail)
    {
        if (!ok)
        {
            throw ProblemType.InvalidSpec.With($"Model spec '{field}': {detail}", field);
        }
    }
}

/// <summary>What predict captures: <paramref name="Rate"/>, the share of records (1: every one).</summary>
public sealed record CaptureSpec(double Rate);

/// <summary>
/// When a column has drifted: its PSI at or above <paramref name="Psi"/> (0.2 by default), or its KS
/// statistic at or above <paramref name="Ks"/> (0.1) with a p-value under 0.01; over the last
/// <paramref name="Days"/> days of captured traffic (7). New capture files start the drift job at most
/// once per <paramref name="Minutes"/> (60); with <paramref name="Retrain"/>, drift queues a retraining
/// job on the model's latest training data.
/// </summary>
public sealed record DriftSpec(double? Psi = null, double? Ks = null, int? Days = null, int? Minutes = null, bool? Retrain = null);
