using System.Text.Json;
using MlFunctions.Composition;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Training;

namespace MlFunctions.Trainer;

/// <summary>
/// import-mlnet --model NAME --zip model.zip --manifest import.json [--samples rows.csv] [--bucket DIR]:
/// a user's own ML.NET model converted to ONNX, checked against ML.NET's scores on the sample rows (drawn
/// from the model's input schema when none are given), and
/// registered as any ONNX import (optimised once, run once, written as a version; the champion if there
/// is none, or with "promote": true). Exit 0 when registered, 1 when refused (the reason printed: an
/// unsupported transform by name, a difference over 1e-5, a column that does not fit), 2 for a usage mistake.
/// </summary>
internal static class ImportMlNetCommand
{
    public static async Task<int> RunAsync(string model, string zip, string manifest, string? samples, string? folder, TextWriter console, TextWriter log)
    {
        if (!ModelNames.IsValid(model))
        {
            await log.WriteLineAsync($"import-mlnet: '{model}' is not a model name: 1 to 64 letters, digits, '.', '-' or '_'.").ConfigureAwait(false);
            return TrainerCommands.UsageError;
        }
        if (new[] { zip, manifest }.Concat(samples is null ? [] : [samples]).FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            await log.WriteLineAsync($"import-mlnet: there is no file '{missing}'.").ConfigureAwait(false);
            return TrainerCommands.UsageError;
        }
        var bucket = new LocalFolderStore(folder ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
        var services = FunctionServices.Create(Environment.GetEnvironmentVariable, FunctionLimits.Default, bucket, TimeSpan.Zero);
        try
        {
            var import = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(manifest).ConfigureAwait(false), MlNetImportJson.Default.MlNetImportManifest)
                ?? throw new InvalidDataException("the manifest is JSON null.");
            await using var content = File.OpenRead(zip);
            var (converted, graph) = MlNetImport.Convert(content, samples, import, model, services.Graphs, services.Limits, line => log.WriteLine(line));
            var (registered, champion) = await services.Registration.RegisterAsync(new ObjectModelStore(bucket), converted, graph, null, CancellationToken.None).ConfigureAwait(false);
            await console.WriteLineAsync($"{model}: registered {registered.Version}{(champion ? ", champion" : "")}: {registered.Task} from {string.Join(", ", registered.Columns!)}").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ProblemException)
        {
            await console.WriteLineAsync($"{model}: rejected: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
