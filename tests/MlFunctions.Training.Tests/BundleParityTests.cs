using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;
using Xunit.Abstractions;

namespace MlFunctions.Training.Tests;

/// <summary>
/// On held-out rows, the bundle scored by Core (no ML.NET) gives the scores, probabilities and labels
/// that ML.NET's PredictionEngine gives for the saved model.zip, within 1e-5.
/// </summary>
public sealed class BundleParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, string, string> Cases() => new()
    {
        { ModelTask.Binary, ModelSpec.Linear, "Sex" },
        { ModelTask.Binary, ModelSpec.Tree, "Sex" },
        { ModelTask.Multiclass, ModelSpec.Linear, "Species" },
        { ModelTask.Multiclass, ModelSpec.Tree, "Species" },
        { ModelTask.Regression, ModelSpec.Linear, "Beak Depth (mm)" },
        { ModelTask.Regression, ModelSpec.Tree, "Beak Depth (mm)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_bundle_scores_held_out_rows_as_ml_net_does(string task, string trainer, string label)
    {
        var csv = task == ModelTask.Binary ? PenguinData.TwoSexes : PenguinData.Csv;
        var result = ModelTrainer.Train(csv, new ModelSpec { Task = task, Label = label, Trainer = trainer, Iterations = trainer == ModelSpec.Tree ? 50 : null }, "parity");
        var scorer = new BundleScorer(Roundtrip(result.Bundle));
        using var zip = new MemoryStream(result.ModelZip());
        var mlnet = MlNetModel.Load(zip, task, scorer.Vectorizer.Width, result.Bundle.Labels?.Length ?? 0);

        var ours = new double[scorer.Outputs];
        var raw = new double[scorer.Outputs];
        var worst = 0.0;
        var worstSum = 0.0;
        var weight = scorer.Vectorizer.Columns.ToDictionary(c => c, _ => 0.0);
        foreach (var features in result.HoldoutFeatures)
        {
            var reference = mlnet.Predict(features);
            scorer.Predict(features, ours);
            scorer.Raw(features, raw);
            switch (task)
            {
                case ModelTask.Binary:
                    worst = Math.Max(worst, Compare(reference[0], ours[0], "probability"));
                    worst = Math.Max(worst, Compare(reference[1], raw[0], "score"));
                    Assert.Equal(reference[0] >= 0.5, ours[0] >= 0.5);
                    break;
                case ModelTask.Multiclass:
                    for (var c = 0; c < ours.Length; c++)
                    {
                        worst = Math.Max(worst, Compare(reference[c], ours[c], $"probability of class {c}"));
                    }
                    Assert.Equal(Array.IndexOf(reference, reference.Max()), Array.IndexOf(ours, ours.Max()));
                    break;
                default:
                    worst = Math.Max(worst, Compare(reference[0], ours[0], "value"));
                    break;
            }
            // The explanation of the same row: its parts sum to the margin the model scored, within 1e-4.
            var explanation = scorer.Explain(features, ours);
            var explained = task == ModelTask.Multiclass ? Array.IndexOf(ours, ours.Max()) : 0;
            Assert.Equal(raw[explained], explanation.Margin, 9);
            var sum = explanation.Base + explanation.Contributions.Values.Sum();
            worstSum = Math.Max(worstSum, Math.Abs(sum - explanation.Margin));
            Assert.True(Math.Abs(sum - explanation.Margin) <= 1e-4, $"base {explanation.Base} + contributions {sum - explanation.Base} != margin {explanation.Margin}");
            foreach (var (column, contribution) in explanation.Contributions)
            {
                weight[column] += Math.Abs(contribution);
            }
        }
        output.WriteLine($"{task}/{trainer} ({result.Bundle.Trainer}): {result.HoldoutFeatures.Length} held-out rows, largest difference {worst:E2}; explanations within {worstSum:E2} of the margin; "
            + string.Join(", ", weight.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value / result.HoldoutFeatures.Length:F3}")));
        // Every model leans on the measurements: an explanation that says nothing would sum trivially.
        Assert.True(weight.Where(p => p.Key.EndsWith(')')).Sum(p => p.Value) > 0);
        Assert.True(result.HoldoutFeatures.Length >= 50);
    }

    [Fact]
    public void The_penguin_species_model_is_accurate_on_its_holdout()
    {
        var result = ModelTrainer.Train(PenguinData.Csv, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species" }, "penguins");

        var accuracy = result.Bundle.Metrics["macroAccuracy"];
        output.WriteLine($"penguin species, {result.Bundle.Trainer}: holdout macro accuracy {accuracy:F4}");
        Assert.True(accuracy >= 0.95, $"macro accuracy {accuracy}");
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], result.Bundle.Labels!);
    }

    [Theory]
    [InlineData(ModelTask.Multiclass, ModelSpec.Linear, "Species")]
    [InlineData(ModelTask.Multiclass, ModelSpec.Tree, "Species")]
    [InlineData(ModelTask.Binary, ModelSpec.Linear, "Sex")]
    public void The_bundle_predicts_the_true_labels_of_held_out_rows(string task, string trainer, string label)
    {
        var csv = task == ModelTask.Binary ? PenguinData.TwoSexes : PenguinData.Csv;
        var result = ModelTrainer.Train(csv, new ModelSpec { Task = task, Label = label, Trainer = trainer }, "truth");
        var scorer = new BundleScorer(result.Bundle);
        var labels = result.Bundle.Labels!;
        var scores = new double[scorer.Outputs];

        var correct = result.HoldoutFeatures.Zip(result.HoldoutLabels).Count(row =>
        {
            scorer.Predict(row.First, scores);
            var predicted = task == ModelTask.Binary ? labels[scores[0] >= 0.5 ? 1 : 0] : labels[Array.IndexOf(scores, scores.Max())];
            return predicted == row.Second;
        });

        var accuracy = (double)correct / result.HoldoutLabels.Length;
        output.WriteLine($"{task}/{trainer}: {correct} of {result.HoldoutLabels.Length} held-out rows labelled right ({accuracy:P1}); ML.NET's metrics: {string.Join(", ", result.Bundle.Metrics.Select(m => $"{m.Key} {m.Value:F3}"))}");
        Assert.True(accuracy >= 0.85, $"accuracy against the true labels {accuracy:P1}");
    }

    private static double Compare(double expected, double actual, string what)
    {
        var difference = Math.Abs(expected - actual);
        Assert.True(difference <= Tolerance, $"{what}: ML.NET {expected}, bundle {actual}");
        return difference;
    }

    /// <summary>Through bundle.json and back, as serving reads it.</summary>
    private static ModelBundle Roundtrip(ModelBundle bundle) => ModelBundleJson.Read(ModelBundleJson.Write(bundle));
}
