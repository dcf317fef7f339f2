using System.Diagnostics;
using System.Text.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Training;

namespace MlFunctions.Benchmarks;

/// <summary>
/// Lambda cold starts: for each function, the Native AOT bootstrap and the same code built for JIT,
/// started under the Runtime API emulator with one event waiting; the time from process start to the
/// response being posted, over 20 or more runs, medians and ratio; and predict with the ONNX sample
/// model under AOT against JIT with ReadyToRun.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
        // Which platforms to time (lambda, azure, google): all unless named.
        var platforms = args.Length > 1 ? args[1..] : ["lambda", "azure", "google"];
        var aot = await AotPublisher.PublishAsync("functions", "MlFunctions.Aws", "bootstrap");
        var jit = await PublishJitAsync();
        var models = Directory.CreateTempSubdirectory("mlf-cold-models-").FullName;
        try
        {
            var trained = ModelTrainer.Train(RepoPaths.Penguins, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species" }, "penguins");
            var store = new ObjectModelStore(new LocalFolderStore(models));
            await store.WriteVersionAsync(trained.Bundle, [], CancellationToken.None);
            await store.TryPromoteAsync("penguins", new ChampionPointer(trained.Bundle.Version, "macroAccuracy", 1, DateTimeOffset.UtcNow), WriteCondition.Always, CancellationToken.None);

            var photo = Convert.ToBase64String(File.ReadAllBytes(RepoPaths.ExifImage("Landscape_6")));
            var penguin = """{"records": [{"Island": "Dream", "Beak Length (mm)": 39, "Beak Depth (mm)": 18.7, "Flipper Length (mm)": 185, "Body Mass (g)": 3650, "Sex": "MALE"}]}""";
            (string Function, string Event)[] cases =
            [
                ("resize", Event("/api/resize", "width=224&height=224", photo, true)),
                ("tensor", Event("/api/tensor", "width=224&height=224", photo, true)),
                ("format", Event("/api/format", "", """{"logits": [[2, 1, 0.1]], "labels": ["a", "b", "c"]}""", false)),
                ("predict", Event("/api/predict/penguins", "", penguin, false, new Dictionary<string, string> { ["model"] = "penguins" })),
            ];
            if (platforms.Contains("azure"))
            {
                var handlerMs = await HttpHostAsync(runs, photo, "Azure custom handler", "MlFunctions.Azure", "FUNCTIONS_CUSTOMHANDLER_PORT", "/", "/api/resize?width=224&height=224", []);
                await IsolatedWorkerAsync(runs, Convert.FromBase64String(photo), handlerMs);
            }
            if (platforms.Contains("google"))
            {
                await HttpHostAsync(runs, photo, "Google Functions Framework", "MlFunctions.Gcp", "PORT", "/robots.txt", "/?width=224&height=224", [("FUNCTION_TARGET", "resize")]);
            }
            if (!platforms.Contains("lambda"))
            {
                return 0;
            }
            // JIT with ReadyToRun too: the way a user publishes a managed function to start it faster.
            var r2r = await PublishJitAsync(readyToRun: true);
            Console.WriteLine($"Lambda cold start: process start to response posted, under the Runtime API emulator, median of {runs} runs");
            Console.WriteLine($"  {"function",-10}{"Native AOT",14}{"JIT",14}{"JIT+R2R",14}{"AOT / JIT",12}{"AOT / R2R",12}");
            foreach (var (function, json) in cases)
            {
                var aotMs = await MedianAsync(aot, function, json, models, runs);
                var jitMs = await MedianAsync(jit, function, json, models, runs);
                var r2rMs = await MedianAsync(r2r, function, json, models, runs);
                Console.WriteLine($"  {function,-10}{aotMs,11:F1} ms{jitMs,11:F1} ms{r2rMs,11:F1} ms{aotMs / jitMs,11:F2}x{aotMs / r2rMs,11:F2}x");
            }
            await ImageModelAsync(aot, r2r, runs, models, photo);
            return 0;
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    /// <summary>
    /// predict with the ONNX sample model (ResNet18, registered in the bucket folder with its optimised
    /// graphs), a photo in: the AOT bootstrap against the same code under JIT with ReadyToRun.
    /// </summary>
    private static async Task ImageModelAsync(string aot, string r2r, int runs, string models, string photo)
    {
        await Local.SampleImageModel.EnsureAsync(new LocalFolderStore(models),
            new Core.Models.Onnx.OnnxRegistration(Core.Contract.FunctionLimits.Default, new Onnx.OnnxGraphRunner()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        var json = Event("/api/predict/resnet18", "", photo, true, new Dictionary<string, string> { ["model"] = "resnet18" });
        var aotMs = await MedianAsync(aot, "predict", json, models, runs);
        var r2rMs = await MedianAsync(r2r, "predict", json, models, runs);
        Console.WriteLine();
        Console.WriteLine($"Lambda cold start of an ONNX image model: predict with ResNet18 (the graph optimised for this CPU at registration), a JPEG in, median of {runs} runs");
        Console.WriteLine($"  {"function",-10}{"Native AOT",14}{"JIT+R2R",14}{"AOT / JIT+R2R",16}");
        Console.WriteLine($"  {"resnet18",-10}{aotMs,11:F1} ms{r2rMs,11:F1} ms{aotMs / r2rMs,15:F2}x");

        // An image classifier retrained from a zip (drawn shapes): the same backbone with a linear head in its manifest.
        var runner = new Onnx.OnnxGraphRunner();
        var backbone = ImageBackbone.FromOutput(runner) ?? throw new InvalidOperationException("No ResNet18 in the benchmark's output.");
        var zip = Path.Combine(models, "shapes.zip");
        await File.WriteAllBytesAsync(zip, ShapeImages.Zip(perLabel: 20, seed: 1));
        var trained = ImageClassifierTrainer.Train(zip, new ModelSpec { Task = ModelTask.ImageClassification }, "shapes", backbone, Core.Contract.FunctionLimits.Default);
        await new Core.Models.Onnx.OnnxRegistration(Core.Contract.FunctionLimits.Default, runner).RegisterAsync(new ObjectModelStore(new LocalFolderStore(models)), trained.Manifest,
            await File.ReadAllBytesAsync(backbone.GraphPath), await File.ReadAllBytesAsync(backbone.PreparePath), CancellationToken.None);
        var shapes = Event("/api/predict/shapes", "", Convert.ToBase64String(ShapeImages.Draw("circle", new Random(3))), true, new Dictionary<string, string> { ["model"] = "shapes" });
        var shapesAot = await MedianAsync(aot, "predict", shapes, models, runs);
        var shapesR2r = await MedianAsync(r2r, "predict", shapes, models, runs);
        Console.WriteLine($"  {"shapes",-10}{shapesAot,11:F1} ms{shapesR2r,11:F1} ms{shapesAot / shapesR2r,15:F2}x   (retrained from a zip: ResNet18 and a linear head)");
    }

    private static string Event(string path, string query, string body, bool base64, Dictionary<string, string>? pathParameters = null) => JsonSerializer.Serialize(new
    {
        version = "2.0",
        rawPath = path,
        rawQueryString = query,
        headers = new Dictionary<string, string> { ["content-type"] = base64 ? "image/jpeg" : "application/json" },
        pathParameters,
        requestContext = new { http = new { method = "POST", path } },
        body,
        isBase64Encoded = base64,
    });

    private static async Task<double> MedianAsync(string binary, string function, string json, string models, int runs)
    {
        var times = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            await using var emulator = await LambdaRuntimeEmulator.StartAsync();
            var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["AWS_LAMBDA_RUNTIME_API"] = emulator.Address;
            start.Environment["_HANDLER"] = function;
            start.Environment["MLF_BUCKET"] = models;
            start.Environment["MLF_STORAGE"] = "folder";
            var invocation = emulator.InvokeAsync(json);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var outcome = await invocation;
            times[r] = clock.Elapsed.TotalMilliseconds;
            process.Kill();
            await process.WaitForExitAsync();
            if (outcome.IsError || !outcome.Body.Contains("\"statusCode\":200", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{function} did not answer 200: {outcome.Body[..Math.Min(300, outcome.Body.Length)]}");
            }
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>
    /// An HTTP host (Azure's custom handler, Google's Functions Framework binary) started as its platform
    /// starts it, timed to its first answered resize: the port polled on <paramref name="probe"/> every
    /// millisecond until it answers, then the request.
    /// </summary>
    private static async Task<double> HttpHostAsync(int runs, string photoBase64, string title, string project, string portVariable, string probe, string request, (string, string)[] environment)
    {
        var aot = await AotPublisher.PublishAsync("functions", project);
        var jit = await PublishJitAsync(project, project);
        var r2r = await PublishJitAsync(project, project, readyToRun: true);
        var photo = Convert.FromBase64String(photoBase64);
        Console.WriteLine($"{title} cold start: process start to the first resize answered, median of {runs} runs");
        Console.WriteLine($"  {"function",-10}{"Native AOT",14}{"JIT",14}{"JIT+R2R",14}{"AOT / JIT",12}{"AOT / R2R",12}");
        var aotMs = await MedianHandlerAsync(aot, photo, runs, portVariable, probe, request, environment);
        var jitMs = await MedianHandlerAsync(jit, photo, runs, portVariable, probe, request, environment);
        var r2rMs = await MedianHandlerAsync(r2r, photo, runs, portVariable, probe, request, environment);
        Console.WriteLine($"  {"resize",-10}{aotMs,11:F1} ms{jitMs,11:F1} ms{r2rMs,11:F1} ms{aotMs / jitMs,11:F2}x{aotMs / r2rMs,11:F2}x");
        Console.WriteLine();
        return aotMs;
    }

    /// <summary>
    /// The Azure isolated worker (ReadyToRun, as published), started and driven as the Functions host does
    /// it (the tests' FunctionRpc host): process start to the worker ready (event stream, init, metadata,
    /// every function loaded, its HTTP port open) and to the first resize answered through it, beside the
    /// AOT custom handler's time to the same answer.
    /// </summary>
    private static async Task IsolatedWorkerAsync(int runs, byte[] photo, double handlerMs)
    {
        var app = Path.GetDirectoryName(await AotPublisher.PublishAsync("functions", "MlFunctions.Azure.Worker"))!;
        var ready = new double[runs];
        var answered = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            await using var host = await Testing.AzureWorker.FunctionsHostEmulator.StartAsync(app, new Dictionary<string, string>());
            ready[r] = host.ReadyAfter.TotalMilliseconds;
            var resize = await host.SendAsync(HttpMethod.Post, "/api/resize?width=224&height=224", new ByteArrayContent(photo));
            answered[r] = host.SinceStart.TotalMilliseconds;
            if (resize?.Status != 200)
            {
                throw new InvalidOperationException($"the isolated worker's resize answered {resize?.Status}: {host.Logs}");
            }
        }
        Array.Sort(ready);
        Array.Sort(answered);
        var workerMs = answered[runs / 2];
        Console.WriteLine($"Azure, both options: process start to the first resize answered, median of {runs} runs");
        Console.WriteLine($"  {"custom handler (Native AOT)",-32}{handlerMs,11:F1} ms");
        Console.WriteLine($"  {"isolated worker (ReadyToRun)",-32}{workerMs,11:F1} ms   (ready after {ready[runs / 2]:F1} ms: stream, init, metadata, loads; {workerMs / handlerMs:F1}x the custom handler)");
        Console.WriteLine();
    }

    private static async Task<double> MedianHandlerAsync(string binary, byte[] photo, int runs, string portVariable, string probe, string request, (string Name, string Value)[] environment)
    {
        var times = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            var port = LoopbackPort.Free();
            var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment[portVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            while (true)
            {
                try
                {
                    // Any answer means the server is up (Google's probe path answers 404 by design).
                    using var ready = await client.GetAsync(probe);
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(1);
                }
            }
            using var response = await client.PostAsync(request, new ByteArrayContent(photo));
            times[r] = clock.Elapsed.TotalMilliseconds;
            process.Kill();
            await process.WaitForExitAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"resize answered {(int)response.StatusCode}");
            }
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>The same project published for JIT (framework-dependent; ReadyToRun off unless asked): what AOT is measured against.</summary>
    private static async Task<string> PublishJitAsync(string project = "MlFunctions.Aws", string binary = "bootstrap", bool readyToRun = false)
    {
        var output = Path.Combine(RepoPaths.Artifacts, readyToRun ? "jit-r2r" : "jit", project);
        var result = await ProcessRunner.RunAsync("dotnet",
            ["publish", Path.Combine(RepoPaths.Root, "functions", project, project + ".csproj"), "-c", "Release", "-r", "linux-x64",
             "--self-contained", "false", "-p:PublishAot=false", $"-p:PublishReadyToRun={readyToRun}", "-o", output, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(10));
        return result.ExitCode == 0 ? Path.Combine(output, binary) : throw new InvalidOperationException(result.Output + result.Error);
    }
}
