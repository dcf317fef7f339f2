using System.Diagnostics;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Storage;
using MlFunctions.Training;

namespace MlFunctions.Trainer;

/// <summary>train --data file.csv --spec model.json --model NAME [--bucket DIR] [--promote]: a new version, with progress and a metrics table.</summary>
internal static class TrainCommand
{
    public static async Task<int> RunAsync(string data, string specPath, string name, string? bucket, bool promote, TextWriter console, TextWriter log)
    {
        foreach (var file in new[] { data, specPath }.Where(f => !File.Exists(f)))
        {
            await log.WriteLineAsync($"train: there is no file '{file}'.").ConfigureAwait(false);
            return TrainerCommands.UsageError;
        }
        if (!Core.Models.Store.ModelNames.IsValid(name))
        {
            await log.WriteLineAsync($"train: '{name}' is not a model name: 1 to 64 letters, digits, '.', '-' or '_'.").ConfigureAwait(false);
            return TrainerCommands.UsageError;
        }
        try
        {
            var spec = ModelSpecJson.Read(await File.ReadAllBytesAsync(specPath).ConfigureAwait(false));
            var store = new LocalFolderStore(bucket ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
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
}
