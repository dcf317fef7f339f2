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
/// <item>load: the graph as registered (optimised while loading) against the two graphs registration
/// optimised (portable: the CPU's layouts still to do; native: loaded as it is), median of the runs;</item>
/// <item>predict: JPEG photos to 512 features, ours (the predict function: decode, orient, resize,
/// the two graphs) against the same decode and resize followed by ML.NET's OnnxTransformer through a
/// PredictionEngine, both on ONNX Runtime with the same threads, photos a second.</item>
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
        double Median(Func<IGraph> load)
        {
            var times = new double[runs];
            for (var r = 0; r < runs; r++)
            {
                var clock = Stopwatch.StartNew();
                using var loaded = load();
                times[r] = clock.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            return times[runs / 2];
        }
        var plain = Median(() => runner.Load(graph));
        var portable = Median(() => runner.Load(optimized.Portable, GraphForm.Portable));
        using var weights = LocalObjectFile.Write(optimized.NativeWeights, OnnxFiles.NativeWeights);
        var native = Median(() => runner.Load(optimized.Native, GraphForm.Native, weights.Folder));
        Console.WriteLine($"ResNet18 load ({graph.Length / 1e6:F1} MB graph), median of {runs}, {runner.Machine}:");
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
                var answer = await pipeline.InvokeAsync(predict, new FunctionRequest
                {
                    Method = "POST", Path = "/api/predict/resnet18", Body = await File.ReadAllBytesAsync(path),
                    RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", SampleImageModel.Name)]),
                    Headers = FunctionRequest.Map([KeyValuePair.Create("Content-Type", "image/jpeg")]),
                }, CancellationToken.None);
                if (answer.Status != 200)
                {
                    throw new InvalidOperationException($"predict answered {answer.Status}");
                }
            }
            using var mlnet = new MlNetResNet(SampleImageModel.PreparePath, SampleImageModel.GraphPath, Threads);
            var pixels = TensorOptions.Parse(new Parameters(FunctionRequest.ParseQuery("width=224&height=224&scale=1")), FunctionLimits.Default);
            async Task Theirs(string path)
            {
                // The same decode, orientation and resize (ML.NET's image transforms cannot run beside SkiaSharp 3), then ML.NET.
                _ = mlnet.EmbedPixels(ImageTensors.Create(await File.ReadAllBytesAsync(path), pixels, FunctionLimits.Default));
            }

            Console.WriteLine($"ResNet18 image predict: {photos.Length} JPEG photos ({string.Join(", ", photos.Select(p => Path.GetFileName(p)).Take(2))}, ...) to 512 features, one at a time, {duration.TotalSeconds:F0} s each:");
            var ours = await RateAsync(Ours, photos, duration);
            var theirs = await RateAsync(Theirs, photos, duration);
            Console.WriteLine($"  ours (predict function, ONNX Runtime, {Threads} threads)          {ours,8:F1} photos/s");
            Console.WriteLine($"  ML.NET (our decode and resize, OnnxTransformer + PredictionEngine) {theirs,8:F1} photos/s");
            Console.WriteLine($"  ours / ML.NET: {ours / theirs:F2}x");
        }
        finally
        {
            Directory.Delete(bucket, recursive: true);
        }
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
