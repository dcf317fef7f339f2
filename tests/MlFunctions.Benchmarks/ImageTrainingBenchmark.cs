using System.Diagnostics;
using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Onnx;
using MlFunctions.Testing;
using MlFunctions.Training;

namespace MlFunctions.Benchmarks;

/// <summary>
/// Image-classifier retraining: a zip of drawn shapes (three labels, PER_LABEL images each, 192x192
/// JPEGs) trained as the Trainer trains a dropped zip: every image through ResNet18 under ONNX Runtime,
/// then the linear head. Prints the time per 100 images and the holdout accuracy.
/// </summary>
internal static class ImageTrainingBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var perLabel = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var backbone = ImageBackbone.FromOutput(new OnnxGraphRunner()) ?? throw new InvalidOperationException("No ResNet18 in the benchmark's output.");
        var zip = Path.Combine(Path.GetTempPath(), $"mlf-shapes-{Guid.NewGuid():N}.zip");
        try
        {
            File.WriteAllBytes(zip, ShapeImages.Zip(perLabel, seed: 1));
            var images = perLabel * ShapeImages.Labels.Length;
            Console.WriteLine($"Image classifier training: {images:N0} drawn shapes in {ShapeImages.Labels.Length} labels, ResNet18 features (ONNX Runtime {new OnnxGraphRunner().Runtime}), linear head");
            var clock = Stopwatch.StartNew();
            var result = ImageClassifierTrainer.Train(zip, new ModelSpec { Task = ModelTask.ImageClassification }, "shapes", backbone, FunctionLimits.Default, line => Console.WriteLine($"  [{clock.Elapsed.TotalSeconds,6:F1}s] {line}"));
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Trained in {seconds:F1} s: {seconds / images * 100:F1} s per 100 images; holdout macro accuracy {result.Manifest.Metrics!["macroAccuracy"]:F3} on {result.HoldoutLabels.Length} images");
            return Task.FromResult(0);
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
