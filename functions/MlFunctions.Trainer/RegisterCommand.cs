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
    private const string UsageLine = "usage: MlFunctions.Trainer register --model NAME --graph model.onnx --manifest model.json [--prepare prepare.onnx] [--bucket DIR]";

    public static async Task<int> RunAsync(string[] args, TextWriter console, TextWriter log)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !args[i].StartsWith("--", StringComparison.Ordinal) || args[i] is not ("--model" or "--graph" or "--manifest" or "--prepare" or "--bucket"))
            {
                await log.WriteLineAsync($"register: unexpected '{args[i]}'.\n{UsageLine}").ConfigureAwait(false);
                return 2;
            }
            options[args[i][2..]] = args[i + 1];
        }
        if (!options.TryGetValue("model", out var model) || !options.TryGetValue("graph", out var graph) || !options.TryGetValue("manifest", out var manifest))
        {
            await log.WriteLineAsync(UsageLine).ConfigureAwait(false);
            return 2;
        }
        if (!ModelNames.IsValid(model))
        {
            await log.WriteLineAsync($"register: '{model}' is not a model name: 1 to 64 letters, digits, '.', '-' or '_'.").ConfigureAwait(false);
            return 2;
        }
        foreach (var file in new[] { graph, manifest }.Concat(options.TryGetValue("prepare", out var p) ? [p] : []))
        {
            if (!File.Exists(file))
            {
                await log.WriteLineAsync($"register: there is no file '{file}'.").ConfigureAwait(false);
                return 2;
            }
        }
        var bucket = new LocalFolderStore(options.GetValueOrDefault("bucket") ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
        var name = Path.GetFileNameWithoutExtension(graph);
        name = ModelNames.IsValid(name) ? name : "model";
        await CopyAsync(bucket, graph, $"imports/{model}/{name}.onnx").ConfigureAwait(false);
        if (options.TryGetValue("prepare", out var prepare))
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
