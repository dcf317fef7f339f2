using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Testing;
using MlFunctions.Training;

namespace MlFunctions.Benchmarks;

/// <summary>
/// The same trained model scored two ways: our bundle (Core, no ML.NET) and ML.NET's model.zip with
/// PredictionEngine. Load time (cold in a fresh process, as a function starts, and warm), single-row
/// latency and batch throughput, side by side, with ratios.
/// </summary>
internal static class ModelBenchmark
{
    private const int ColdRuns = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--cold-mlnet", var zip, var width, var classes])
        {
            var clock = Stopwatch.StartNew();
            MlNetModel.Load(File.OpenRead(zip), ModelTask.Multiclass, int.Parse(width, CultureInfo.InvariantCulture), int.Parse(classes, CultureInfo.InvariantCulture));
            Console.WriteLine(clock.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
            return 0;
        }
        // In-process figures (warm load, single row, batch) are taken with fully optimised code from the
        // first call, for the bundle and ML.NET alike: with tiered JIT, whether a run settles on its fast
        // code varied from run to run by up to ten times. Native AOT, which serves bundles, has no tiers.
        if (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0")
        {
            var self = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            self.ArgumentList.Add("model");
            foreach (var arg in args)
            {
                self.ArgumentList.Add(arg);
            }
            self.Environment["DOTNET_TieredCompilation"] = "0";
            using var child = Process.Start(self)!;
            await child.WaitForExitAsync();
            return child.ExitCode;
        }
        var batchRows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var mlnetVersion = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        Console.WriteLine($"Model benchmark: penguin species (multiclass), bundle (MlFunctions.Core) vs ML.NET {mlnetVersion} PredictionEngine, one thread");
        var probe = await AotPublisher.PublishAsync("tests", "MlFunctions.AotProbe");
        var readyToRun = await PublishReadyToRunAsync();
        var folder = Directory.CreateTempSubdirectory("mlf-model-bench-").FullName;
        try
        {
            foreach (var trainer in new[] { ModelSpec.Linear, ModelSpec.Tree })
            {
                var result = ModelTrainer.Train(RepoPaths.Penguins, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species", Trainer = trainer }, "penguins");
                await ReportAsync(result, batchRows, probe, readyToRun, folder);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    private static async Task ReportAsync(TrainingResult result, int batchRows, string probe, string readyToRun, string folder)
    {
        var bundleJson = ModelBundleJson.Write(result.Bundle);
        var zip = result.ModelZip();
        var width = result.HoldoutFeatures[0].Length;
        var classes = result.Bundle.Labels!.Length;
        var bundlePath = Path.Combine(folder, result.Bundle.Trainer + ".bundle.json");
        var zipPath = Path.Combine(folder, result.Bundle.Trainer + ".model.zip");
        await File.WriteAllBytesAsync(bundlePath, bundleJson);
        await File.WriteAllBytesAsync(zipPath, zip);
        Console.WriteLine();
        Console.WriteLine($"{result.Bundle.Trainer}: {width} features, bundle.json {bundleJson.Length / 1024.0:F1} KiB, model.zip {zip.Length / 1024.0:F1} KiB");
        Console.WriteLine($"  {"",-34}{"bundle",14}{"ML.NET",14}{"ratio",10}");

        // Cold: a fresh process loads the model, as a function instance does on its first request. The
        // bundle in the Native AOT binary that serves it; ML.NET under JIT, the only way it runs.
        var bundleCold = await MedianOfProcessesAsync(probe, ["load-bundle", bundlePath]);
        // The ML.NET child runs with the runtime's default (tiered) JIT, as a real cold start would.
        string[] coldArgs = ["model", "--cold-mlnet", zipPath, width.ToString(CultureInfo.InvariantCulture), classes.ToString(CultureInfo.InvariantCulture)];
        var mlnetCold = await MedianOfProcessesAsync("env", ["-u", "DOTNET_TieredCompilation", Environment.ProcessPath!, .. coldArgs]);
        Row($"load, cold process (median of {ColdRuns})", bundleCold * 1e3, mlnetCold * 1e3, "ms");
        // And ML.NET precompiled with ReadyToRun (it and ML.NET's assemblies), the way a user publishes a managed function to start it faster.
        var mlnetReadyToRun = await MedianOfProcessesAsync("env", ["-u", "DOTNET_TieredCompilation", readyToRun, .. coldArgs]);
        Row("  the same, ML.NET JIT+ReadyToRun", bundleCold * 1e3, mlnetReadyToRun * 1e3, "ms");

        // Warm: the median of 30 loads in this process, after a second of loading.
        var bundleWarm = Median(30, 1, () => new BundleScorer(ModelBundleJson.Read(bundleJson)));
        var mlnetWarm = Median(30, 1, () => MlNetModel.Load(new MemoryStream(zip), ModelTask.Multiclass, width, classes));
        Row("load, warm (median of 30)", bundleWarm * 1e3, mlnetWarm * 1e3, "ms");

        // One row at a time from the same feature vector, timed in blocks of 1,000 calls.
        var scorer = new BundleScorer(result.Bundle);
        var engine = MlNetModel.Load(new MemoryStream(zip), ModelTask.Multiclass, width, classes);
        var rows = result.HoldoutFeatures;
        var output = new double[scorer.Outputs];
        var i = 0;
        float[] Next() => rows[i = i + 1 == rows.Length ? 0 : i + 1];
        var bundleRow = Median(200, 1_000, () => scorer.Predict(Next(), output));
        var mlnetOutput = new double[engine.Outputs];
        var mlnetRow = Median(200, 1_000, () => engine.Predict(Next(), mlnetOutput));
        Row("single row (median)", bundleRow * 1e6, mlnetRow * 1e6, "us");

        // Batch: the bundle over every row, against ML.NET's own batch path (Transform and a cursor).
        var batch = Enumerable.Range(0, batchRows).Select(r => rows[r % rows.Length]).ToArray();
        var clock = Stopwatch.StartNew();
        foreach (var row in batch)
        {
            scorer.Predict(row, output);
        }
        var bundleRate = batchRows / clock.Elapsed.TotalSeconds;
        clock.Restart();
        var scored = result.Model.Transform(TrainingSchemas.Load(result.Context, batch.Select(f => new MulticlassRow { Features = f }), width, classes));
        var count = result.Context.Data.CreateEnumerable<MulticlassOutput>(scored, reuseRowObject: true).Count();
        var mlnetRate = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {$"batch rows/s ({batchRows:N0} rows)",-34}{bundleRate,14:N0}{mlnetRate,14:N0}{bundleRate / mlnetRate,9:F1}x");
    }

    private static void Row(string what, double bundle, double mlnet, string unit) =>
        Console.WriteLine($"  {what,-34}{bundle,11:F3} {unit}{mlnet,11:F3} {unit}{mlnet / bundle,9:F1}x");

    /// <summary>Seconds per call: the median over <paramref name="blocks"/> blocks of <paramref name="calls"/> calls, after a second of warm-up.</summary>
    private static double Median(int blocks, int calls, Action action)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1))
        {
            action();
        }
        var times = new double[blocks];
        for (var b = 0; b < blocks; b++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var c = 0; c < calls; c++)
            {
                action();
            }
            times[b] = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        }
        Array.Sort(times);
        return times[blocks / 2];
    }

    /// <summary>This benchmark program published with ReadyToRun (framework-dependent), for ML.NET's cold load: its executable.</summary>
    private static async Task<string> PublishReadyToRunAsync()
    {
        var output = Path.Combine(RepoPaths.Artifacts, "jit-r2r", "MlFunctions.Benchmarks");
        var result = await ProcessRunner.RunAsync("dotnet",
            ["publish", Path.Combine(RepoPaths.Root, "tests", "MlFunctions.Benchmarks", "MlFunctions.Benchmarks.csproj"), "-c", "Release", "-r", "linux-x64",
             "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(15));
        return result.ExitCode == 0 ? Path.Combine(output, "MlFunctions.Benchmarks") : throw new InvalidOperationException(result.Output + result.Error);
    }

    private static async Task<double> MedianOfProcessesAsync(string program, string[] args)
    {
        var seconds = new double[ColdRuns];
        for (var r = 0; r < ColdRuns; r++)
        {
            var result = await ProcessRunner.RunAsync(program, args, TimeSpan.FromMinutes(1));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} failed: {result.Output}{result.Error}");
            }
            seconds[r] = double.Parse(result.Output.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        Array.Sort(seconds);
        return seconds[ColdRuns / 2];
    }
}
