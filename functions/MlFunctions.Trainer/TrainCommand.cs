using System.Diagnostics;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Storage;
using MlFunctions.Training;

namespace MlFunctions.Trainer;

/// <summary>train --data file.csv --spec model.json --bucket DIR --model NAME [--promote]: a new version, with progress and a metrics table.</summary>
internal static class TrainCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter console, TextWriter log)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var promote = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--promote")
            {
                promote = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                await log.WriteLineAsync($"train: unexpected '{args[i]}'.").ConfigureAwait(false);
                return Usage(log);
            }
        }
        if (!options.TryGetValue("data", out var data) || !options.TryGetValue("spec", out var specPath) || !options.TryGetValue("model", out var name))
        {
            return Usage(log);
        }
        try
        {
            var spec = ModelSpecJson.Read(await File.ReadAllBytesAsync(specPath).ConfigureAwait(false));
            var store = new LocalFolderStore(options.GetValueOrDefault("bucket") ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
            var clock = Stopwatch.StartNew();
            var (result, promoted) = await ModelPublisher.TrainAsync(data, spec, name, store, promote,
                line => log.WriteLine($"[{clock.Elapsed.TotalSeconds,5:F1}s] {line}"), CancellationToken.None).ConfigureAwait(false);
            var bundle = result.Bundle;
            await console.WriteLineAsync($"{name} {bundle.Version} ({bundle.Trainer}): {bundle.Training.TrainRows} training rows, {bundle.Training.HoldoutRows} held out{(promoted ? ", champion" : "")}").ConfigureAwait(false);
            await console.WriteLineAsync($"  {"metric",-16}{"holdout",10}").ConfigureAwait(false);
            foreach (var (metric, value) in bundle.Metrics)
            {
                await console.WriteLineAsync($"  {metric,-16}{value,10:F4}").ConfigureAwait(false);
            }
            return 0;
        }
        catch (Exception e) when (e is ProblemException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            await log.WriteLineAsync($"train: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    public static int Usage(TextWriter log)
    {
        log.WriteLine("usage: MlFunctions.Trainer train --data data.csv --spec model.json --model NAME [--bucket DIR] [--promote]");
        log.WriteLine("  Trains a new version into DIR/models/NAME/<version>/ (bundle.json, model.zip, metrics.json);");
        log.WriteLine("  DIR is --bucket, else MLF_BUCKET, else ./bucket.");
        log.WriteLine("usage: MlFunctions.Trainer retrain jobs/MODEL/JOB-ID.job.json [--bucket DIR] [--rerun]");
        log.WriteLine("  Runs a training job of the bucket, as the platforms do on its event; --rerun runs a failed one again.");
        log.WriteLine("usage: MlFunctions.Trainer register --model NAME --graph model.onnx --manifest model.json [--prepare prepare.onnx] [--bucket DIR]");
        log.WriteLine("  Registers an ONNX model: checked against its manifest, run once, written as a version.");
        log.WriteLine("With no arguments under Lambda (AWS_LAMBDA_RUNTIME_API set), it is the retrain function.");
        log.WriteLine("  it becomes the champion when there is none yet, or with --promote.");
        return 2;
    }
}
