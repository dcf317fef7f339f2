using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.ML;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Training;

/// <summary>
/// Trains an image classifier from a zip of label folders: every image through the backbone as it is
/// served (decode, orient, fit and the backbone's graphs under ONNX Runtime), a seeded holdout, an ML.NET
/// multiclass head (SDCA maximum entropy) on the standardised features, and an ONNX version whose
/// manifest carries the head with the standardisation folded into its weights: served, nothing but the
/// backbone and one dot product a label runs.
/// </summary>
public static class ImageClassifierTrainer
{
    /// <param name="skipped">What was skipped before the zip was made (a list of keys' missing objects), for the report.</param>
    public static ImageTrainingResult Train(string zipPath, ModelSpec spec, string name, ImageBackbone backbone, FunctionLimits limits, Action<string>? log = null, string? tag = null, IEnumerable<string>? skipped = null)
    {
        using var file = File.OpenRead(zipPath);
        return Train(file, spec, name, backbone, limits, log, tag, skipped);
    }

    /// <summary>The same from a seekable stream holding the zip.</summary>
    public static ImageTrainingResult Train(Stream zipFile, ModelSpec spec, string name, ImageBackbone backbone, FunctionLimits limits, Action<string>? log = null, string? tag = null, IEnumerable<string>? skipped = null)
    {
        log ??= _ => { };
        spec.Validate();
        var seed = spec.Seed ?? 42;
        var holdout = spec.Holdout ?? 0.2;
        var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(zipFile));
        zipFile.Position = 0;
        using var zip = new ZipArchive(zipFile, ZipArchiveMode.Read, leaveOpen: true);
        var set = LabelledImages.Scan(zip, limits, skipped);
        foreach (var line in set.Report.TrimEnd().Split('\n'))
        {
            log(line.TrimEnd());
        }
        if (set.Problem is { } problem)
        {
            throw ProblemType.InvalidRecord.With(problem, "images");
        }

        var (features, labels, failed) = Featurise(zip, set, backbone, limits, log);
        var (train, test) = ModelTrainer.Split(labels.Count, holdout, seed);
        var (mean, std) = Standardisation(train.Select(i => features[i]).ToArray());
        float[] Standardise(float[] x) => x.Select((v, j) => (v - mean[j]) / std[j]).ToArray();
        var data = new TaskData(train.Select(i => Standardise(features[i])).ToArray(), train.Select(i => labels[i]).ToArray(),
            test.Select(i => Standardise(features[i])).ToArray(), test.Select(i => labels[i]).ToArray(), mean.Length, seed);
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed);
        var outcome = MulticlassTraining.Train(ml, spec, data);
        log($"Trained {outcome.Trainer} on {train.Length:N0} images in {clock.Elapsed.TotalSeconds:F1} s; {test.Length:N0} held out: {string.Join(", ", outcome.Metrics.Select(m => $"{m.Key} {m.Value:0.####}"))}");
        var head = OnRawFeatures(outcome.Scoring, mean, std);
        var created = DateTimeOffset.UtcNow;
        var version = created.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + (tag ?? hash[7..15]);
        var manifest = ImageBackbone.Manifest(name, version, OnnxModel.Classification) with
        {
            Labels = [.. outcome.Labels!],
            Activation = "none",
            Head = head,
            Metrics = outcome.Metrics,
        };
        return new ImageTrainingResult(manifest, [.. test.Select(i => features[i])], [.. test.Select(i => labels[i])], train.Length, failed, hash);
    }

    /// <summary>
    /// The head trained on standardised features, made to take the raw ones: a linear row's weights
    /// divided by the spread and its bias moved by the mean (w . (x - m) / s + b = (w / s) . x + b - w . m / s),
    /// a tree's thresholds mapped back (x' &lt;= t exactly when x &lt;= t s + m, s being positive).
    /// </summary>
    private static ScoringModel OnRawFeatures(ScoringModel model, float[] mean, float[] std) => model with
    {
        Linear = model.Linear?.Select(o =>
        {
            var weights = o.Weights.Select((w, j) => w / std[j]).ToArray();
            return new LinearOutput(weights, (float)(o.Bias - weights.Select((w, j) => (double)w * mean[j]).Sum()));
        }).ToArray(),
        Trees = model.Trees?.Select(e => e with
        {
            Trees = [.. e.Trees.Select(t => t with { Thresholds = [.. t.Thresholds.Select((threshold, i) => (threshold * std[t.SplitFeatures[i]]) + mean[t.SplitFeatures[i]])] })],
        }).ToArray(),
    };

    /// <summary>The holdout's accuracy under a head (a champion's, on the challenger's holdout features), with the same metric names as training's.</summary>
    public static Dictionary<string, double> Evaluate(OnnxManifest manifest, IReadOnlyList<float[]> features, IReadOnlyList<string> labels)
    {
        var classes = manifest.Labels ?? [];
        var head = new ScoringEngine(manifest.Head!, features[0].Length);
        var perClass = new Dictionary<string, (int Right, int All)>(StringComparer.Ordinal);
        var right = 0;
        for (var i = 0; i < features.Count; i++)
        {
            var probabilities = OnnxModel.Probabilities(head, features[i]);
            var predicted = classes[Array.IndexOf(probabilities, probabilities.Max())];
            var (r, a) = perClass.GetValueOrDefault(labels[i]);
            perClass[labels[i]] = (r + (predicted == labels[i] ? 1 : 0), a + 1);
            right += predicted == labels[i] ? 1 : 0;
        }
        return new Dictionary<string, double>
        {
            ["macroAccuracy"] = perClass.Values.Average(c => (double)c.Right / c.All),
            ["microAccuracy"] = (double)right / features.Count,
        };
    }

    private static (List<float[]> Features, List<string> Labels, int Failed) Featurise(ZipArchive zip, LabelledImages set, ImageBackbone backbone, FunctionLimits limits, Action<string> log)
    {
        using var model = new OnnxModel(ImageBackbone.Manifest("backbone", "training", OnnxModel.Embedding) with { Normalize = false },
            backbone.Runner.Load(File.ReadAllBytes(backbone.GraphPath)), backbone.Runner.Load(File.ReadAllBytes(backbone.PreparePath)));
        var features = new List<float[]>(set.Images.Count);
        var labels = new List<string>(set.Images.Count);
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        for (var i = 0; i < set.Images.Count; i++)
        {
            var image = set.Images[i];
            try
            {
                features.Add(model.Predict(LabelledImages.Read(zip.GetEntry(image.Entry)!, limits), null, null, limits).Embedding!);
                labels.Add(image.Label);
            }
            catch (ProblemException e)
            {
                failed++;
                log($"{image.Entry}: skipped, {e.Message}");
            }
            if (clock.Elapsed - reported > TimeSpan.FromSeconds(5) || i + 1 == set.Images.Count)
            {
                reported = clock.Elapsed;
                var left = clock.Elapsed.TotalSeconds / (i + 1) * (set.Images.Count - i - 1);
                log($"Featurised {i + 1:N0} of {set.Images.Count:N0} images ({(i + 1) / clock.Elapsed.TotalSeconds:F1}/s, about {left:F0} s left)");
            }
        }
        return (features, labels, failed);
    }

    private static (float[] Mean, float[] Std) Standardisation(float[][] rows)
    {
        var width = rows[0].Length;
        var mean = new float[width];
        var std = new float[width];
        for (var j = 0; j < width; j++)
        {
            var m = rows.Average(r => (double)r[j]);
            var s = Math.Sqrt(rows.Average(r => (r[j] - m) * (r[j] - m)));
            (mean[j], std[j]) = ((float)m, s > 1e-6 ? (float)s : 1f);
        }
        return (mean, std);
    }
}

/// <summary>A trained image classifier: its manifest (head included), and the holdout's features and labels that the champion is scored on too.</summary>
public sealed record ImageTrainingResult(OnnxManifest Manifest, float[][] HoldoutFeatures, string[] HoldoutLabels, int TrainImages, int FailedImages, string DataHash);
