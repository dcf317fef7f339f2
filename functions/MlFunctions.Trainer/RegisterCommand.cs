using MlFunctions.Composition;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Trainer;

/// <summary>
/// register --model NAME --graph model.onnx --manifest model.json [--prepare prepare.onnx] [--bucket DIR]:
/// registers an ONNX model in a bucket folder as dropping it under imports/NAME/ would: the graph and
/// manifest are checked against each other, run once, and written as a version (the champion if there
/// is none, or if the manifest says "promote": true). Exit 0 when registered, 1 when rejected (the
/// reason printed), 2 for a usage mistake.
/// </summary>
internal static class RegisterCommand
{
    public static async Task<int> RunAsync(string model, string graph, string manifest, string? prepare, string? folder, TextWriter console, TextWriter log)
    {
        if (!ModelNames.IsValid(model))
        {
            await log.WriteLineAsync($"register: '{model}' is not a model name: 1 to 64 letters, digits, '.', '-' or '_'.").ConfigureAwait(false);
            return TrainerCommands.UsageError;
        }
        foreach (var file in new[] { graph, manifest }.Concat(prepare is null ? [] : [prepare]))
        {
            if (!File.Exists(file))
            {
                await log.WriteLineAsync($"register: there is no file '{file}'.").ConfigureAwait(false);
                return TrainerCommands.UsageError;
            }
        }
        var bucket = new LocalFolderStore(folder ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
        var name = Path.GetFileNameWithoutExtension(graph);
        name = ModelNames.IsValid(name) ? name : "model";
        await CopyAsync(bucket, graph, $"imports/{model}/{name}.onnx").ConfigureAwait(false);
        if (prepare is not null)
        {
            await CopyAsync(bucket, prepare, $"imports/{model}/{name}.prepare.onnx").ConfigureAwait(false);
        }
        await CopyAsync(bucket, manifest, $"imports/{model}/{name}.json").ConfigureAwait(false);
        var onUpload = FunctionServices.Create(Environment.GetEnvironmentVariable, FunctionLimits.Azure, bucket, TimeSpan.Zero).CreateOnUpload();
        var outcome = await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, $"imports/{model}/{name}.json", new FileInfo(manifest).Length, null), bucket, CancellationToken.None).ConfigureAwait(false);
        await console.WriteLineAsync($"{model}: {outcome.Result}: {outcome.Detail}").ConfigureAwait(false);
        return outcome.Result == UploadResults.Processed ? 0 : 1;
    }

    private static async Task CopyAsync(LocalFolderStore bucket, string file, string key)
    {
        await using var content = File.OpenRead(file);
        await bucket.WriteAsync(key, content, "application/octet-stream", WriteCondition.Always, CancellationToken.None).ConfigureAwait(false);
    }
}
