using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlFunctions.Core.Features;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Explanations;
using MlFunctions.Core.Monitoring;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Training;

/// <summary>
/// Trains a model from a data file (CSV, JSON Lines or Parquet) and a model spec: a seeded holdout split, the feature spec fitted on the
/// training rows only, ML.NET on the vectors, holdout metrics, and the bundle that Core scores.
/// </summary>
public static class ModelTrainer
{
    /// <param name="tag">Ends the version name (a job id); the data's hash when left out.</param>
    public static TrainingResult Train(string data, ModelSpec spec, string name, Action<string>? log = null, string? tag = null)
    {
        log ??= _ => { };
        spec.Validate();
        var clock = Stopwatch.StartNew();
        var seed = spec.Seed ?? 42;
        var holdout = spec.Holdout ?? 0.2;
        var features = spec.Features ?? Propose(data, spec.Label);
        var table = TrainingTable.Load(data, features.Columns.Select(c => c.Name).ToArray(), spec.Label);
        log($"Read {table.Labels.Count:N0} rows from {Path.GetFileName(data)} ({table.SkippedRows:N0} without a '{spec.Label}' skipped)");

        var (train, test) = Split(table.Labels.Count, holdout, seed);
        var vectorizer = new FeatureVectorizer(FeatureFitter.Fit(features, table.Rows(train, features.Columns.Select(c => c.Name).ToArray())));
        float[][] Vectorize(int[] rows) => table.Rows(rows, vectorizer.Columns).Select((row, i) => vectorizer.Transform(row, rows[i])).ToArray();
        var taskData = new TaskData(Vectorize(train), train.Select(i => table.Labels[i]).ToArray(), Vectorize(test), test.Select(i => table.Labels[i]).ToArray(), vectorizer.Width, seed);
        log($"Fitted {vectorizer.Width} features on {train.Length:N0} training rows; {test.Length:N0} rows held out");

        var ml = new MLContext(seed);
        var outcome = spec.Task switch
        {
            ModelTask.Binary => BinaryTraining.Train(ml, spec, taskData),
            ModelTask.Multiclass => MulticlassTraining.Train(ml, spec, taskData),
            _ => RegressionTraining.Train(ml, spec, taskData),
        };
        log($"Trained {outcome.Trainer} in {clock.Elapsed.TotalSeconds:F1} s");

        var created = DateTimeOffset.UtcNow;
        var bundle = new ModelBundle
        {
            Format = ModelBundle.CurrentFormat,
            Name = name,
            Version = created.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + (tag ?? table.DataHash[7..15]),
            Task = spec.Task,
            Trainer = outcome.Trainer,
            LabelColumn = spec.Label,
            Features = vectorizer.Spec,
            Labels = outcome.Labels,
            // Trees keep how many training rows reached each leaf, which explanations weigh branches by.
            Model = TreeCovers.Count(outcome.Scoring, taskData.TrainFeatures),
            Metrics = outcome.Metrics,
            Training = new TrainingInfo(table.DataHash, train.Length, test.Length, table.SkippedRows, seed, holdout, created, new Dictionary<string, string>
            {
                ["mlnet"] = typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "unknown",
                ["mlfunctions"] = typeof(ModelTrainer).Assembly.GetName().Version?.ToString() ?? "unknown",
            }),
        };
        var profile = ProfileBuilder.Build(vectorizer, [.. table.Rows(train, vectorizer.Columns)], taskData.TrainFeatures);
        return new TrainingResult(bundle, ml, outcome.Model, outcome.Schema, taskData.TestFeatures, new HoldoutSet(table, test), profile);
    }

    /// <summary>A spec proposed from the data file, without the label column.</summary>
    public static FeatureSpec Propose(string data, string label)
    {
        using var table = TableFiles.Open(data);
        var proposed = SpecProposer.Propose(table, [label]);
        return new FeatureSpec(proposed.Columns.Where(c => c.Name != label).ToArray());
    }

    /// <summary>A seeded shuffle of the labelled rows: the first share is held out, the rest train.</summary>
    public static (int[] Train, int[] Test) Split(int count, double holdout, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var held = Math.Clamp((int)Math.Round(count * holdout), 1, count - 1);
        return (order[held..].Order().ToArray(), order[..held].Order().ToArray());
    }
}
