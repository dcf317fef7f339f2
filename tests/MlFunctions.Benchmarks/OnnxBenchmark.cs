using System.Diagnostics;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tensors;
using MlFunctions.Local;
using MlFunctions.Onnx;
using MlFunctions.Testing;
using MlFunctions.Testing.Peers;

namespace MlFunctions.Benchmarks;

/// <summary>
/// ResNet18 (the sample image model, from its package), in one process:
/// <list type="bullet">
/// <item>load and first run: the graph as registered (optimised while loading) against the two graphs registration
/// optimised (portable: the CPU's layouts still to do; native: loaded as it is, its weights mapped),
/// median of the runs;</item>
/// <item>predict: JPEG photos to 512 features, ours (the predict function: decode, orient, resize,
/// the two graphs) against ML.NET's own image pipeline and OnnxTransformer through a PredictionEngine
/// (tests/peers/MlNetImages, a process of its own), and against the same decode and resize as ours
/// followed by OnnxTransformer (what wraps the runtime alone), all on ONNX Runtime with the same
/// threads, photos a second.</item>
/// </list>
/// </summary>
internal static class OnnxBenchmark
{
    private const int Threads = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 9;
        var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        Load(runs);
        await PredictAsync(TimeSpan.FromSeconds(seconds));
        return 0;
    }

    private static void Load(int runs)
    {
        var runner = new OnnxGraphRunner();
        var graph = File.ReadAllBytes(SampleImageModel.GraphPath);
        var optimized = runner.Optimize(graph);
        runner.Load(graph).Dispose(); // the native runtime's own first load, out of every measure
        var image = new float[3 * 224 * 224];
        double Median(Func<IGraph> load)
        {
            var times = new double[runs];
            for (var r = 0; r < runs; r++)
            {
                // A load and its first run: mapped weights are read from the page cache only as the run touches them.
                var clock = Stopwatch.StartNew();
                using var loaded = load();
                _ = loaded.Run("Input247", [1, 3, 224, 224], image, "Pooling395_Output_0");
                times[r] = clock.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            return times[runs / 2];
        }
        var plain = Median(() => runner.Load(graph));
        var portable = Median(() => runner.Load(optimized.Portable, GraphForm.Portable));
        using var weights = WeightsFolder.Write(optimized);
        var native = Median(() => runner.Load(optimized.Native, GraphForm.Native, weights.Path));
        Console.WriteLine($"ResNet18 load and first run ({graph.Length / 1e6:F1} MB graph), median of {runs}, {runner.Machine}:");
        Console.WriteLine($"  model.onnx, every optimisation while loading          {plain,8:F1} ms");
        Console.WriteLine($"  model.optimized.onnx, the CPU's layouts while loading {portable,8:F1} ms   ({plain / portable:F2}x faster)");
        Console.WriteLine($"  model.native.onnx, nothing left to do, weights mapped {native,8:F1} ms   ({plain / native:F2}x faster)");
    }

    private static async Task PredictAsync(TimeSpan duration)
    {
        var photos = Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "data", "images", "exif"), "*.jpg").Order(StringComparer.Ordinal).ToArray();
        var bucket = Directory.CreateTempSubdirectory("mlf-onnx-bench-").FullName;
        try
        {
            var runner = new OnnxGraphRunner();
            var store = new LocalFolderStore(bucket);
            await SampleImageModel.EnsureAsync(store, new OnnxRegistration(FunctionLimits.Default, runner), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
            var catalog = FunctionCatalog.Create(FunctionLimits.Default, new ModelCache(new ObjectModelStore(store), TimeSpan.FromMinutes(10), graphs: runner), store);
            var predict = catalog.Find("predict")!;
            var pipeline = new FunctionPipeline(catalog);
            async Task Ours(string path)
            {
                // Like for like: each side reads the photo's file, as ML.NET's LoadImages does.
                _ = await EmbedAsync(pipeline, predict, await File.ReadAllBytesAsync(path));
            }
            using var mlnet = new MlNetResNet(SampleImageModel.PreparePath, SampleImageModel.GraphPath, Threads);
            var pixels = TensorOptions.Parse(new Parameters(FunctionRequest.ParseQuery("width=224&height=224&scale=1")), FunctionLimits.Default);
            async Task Theirs(string path)
            {
                // The same decode, orientation and resize as ours, then ML.NET (its image transforms run in their own process above).
                _ = mlnet.EmbedPixels(ImageTensors.Create(await File.ReadAllBytesAsync(path), pixels, FunctionLimits.Default));
            }

            Console.WriteLine($"ResNet18 image predict: {photos.Length} JPEG photos ({string.Join(", ", photos.Select(p => Path.GetFileName(p)).Take(2))}, ...) to 512 features, one at a time, {duration.TotalSeconds:F0} s each:");
            var ours = await RateAsync(Ours, photos, duration);
            var theirs = await RateAsync(Theirs, photos, duration);
            var (images, features) = await MlNetImagesAsync(duration);
            var oursFeatures = await EmbedAsync(pipeline, predict, await File.ReadAllBytesAsync(Path.Combine(RepoPaths.ExifImages, CheckPhoto)));
            Console.WriteLine($"  ours (predict function, ONNX Runtime, {Threads} threads)                          {ours,8:F1} photos/s");
            Console.WriteLine($"  ML.NET's image pipeline (LoadImages, ResizeImages, ExtractPixels, OnnxTransformer) {images,8:F1} photos/s   ours / ML.NET: {ours / images:F2}x");
            Console.WriteLine($"  our decode and resize, then OnnxTransformer + PredictionEngine                 {theirs,8:F1} photos/s   ours / this: {ours / theirs:F2}x");
            Console.WriteLine($"  same model: cosine of ML.NET's and our features for {CheckPhoto} (upright; ML.NET decodes the full image and resizes it bilinearly, we shrink on load and filter): {Cosine(features, oursFeatures):F4}");
        }
        finally
        {
            Directory.Delete(bucket, recursive: true);
        }
    }

    private const string CheckPhoto = "Landscape_1.jpg";

    /// <summary>
    /// ML.NET's own image pipeline in a process of its own (tests/peers/MlNetImages: its image transforms
    /// need SkiaSharp 3, which cannot load beside our SkiaSharp 4), built here, run for the same duration:
    /// its photos a second and its features for <see cref="CheckPhoto"/>.
    /// </summary>
    private static async Task<(double PerSecond, float[] Features)> MlNetImagesAsync(TimeSpan duration)
    {
        var project = Path.Combine(RepoPaths.Root, "tests", "peers", "MlNetImages");
        var output = Path.Combine(RepoPaths.Artifacts, "peers", "MlNetImages");
        var build = await ProcessRunner.RunAsync("dotnet", ["build", project, "-c", "Release", "-o", output, "--nologo", "-v", "q"], TimeSpan.FromMinutes(5));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the ML.NET peer failed: {build.Output}{build.Error}");
        }
        var run = await ProcessRunner.RunAsync("dotnet",
            [Path.Combine(output, "MlNetImages.dll"), SampleImageModel.GraphPath, SampleImageModel.PreparePath, RepoPaths.ExifImages,
                duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), Threads.ToString(System.Globalization.CultureInfo.InvariantCulture), CheckPhoto],
            duration + TimeSpan.FromMinutes(5));
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (run.ExitCode != 0 || lines.FirstOrDefault(l => l.StartsWith("photos/s ", StringComparison.Ordinal)) is not { } rate
            || lines.FirstOrDefault(l => l.StartsWith("features ", StringComparison.Ordinal)) is not { } features)
        {
            throw new InvalidOperationException($"the ML.NET peer failed ({run.ExitCode}): {run.Output}{run.Error}");
        }
        return (double.Parse(rate["photos/s ".Length..], System.Globalization.CultureInfo.InvariantCulture),
            [.. features["features ".Length..].Split(' ').Select(f => float.Parse(f, System.Globalization.CultureInfo.InvariantCulture))]);
    }

    /// <summary>The predict function's features for a JPEG (scaled to unit length, as it answers them).</summary>
    private static async Task<float[]> EmbedAsync(FunctionPipeline pipeline, FunctionDescriptor predict, byte[] photo)
    {
        var answer = await pipeline.InvokeAsync(predict, new FunctionRequest
        {
            Method = "POST", Path = "/api/predict/resnet18", Body = photo,
            RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", SampleImageModel.Name)]),
            Headers = FunctionRequest.Map([KeyValuePair.Create("Content-Type", "image/jpeg")]),
        }, CancellationToken.None);
        return answer.Status == 200
            ? [.. System.Text.Json.JsonDocument.Parse(answer.Body).RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())]
            : throw new InvalidOperationException($"predict answered {answer.Status}");
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(aa * bb);
    }

    /// <summary>Photos a second over <paramref name="duration"/>, after a warm-up pass over every photo.</summary>
    private static async Task<double> RateAsync(Func<string, Task> embed, string[] photos, TimeSpan duration)
    {
        foreach (var photo in photos)
        {
            await embed(photo);
        }
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (clock.Elapsed < duration)
        {
            await embed(photos[done % photos.Length]);
            done++;
        }
        return done / clock.Elapsed.TotalSeconds;
    }
}
