using System.Diagnostics;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Trainer;

/// <summary>The Trainer (JIT) started as an HTTP retrain function, as a platform starts it.</summary>
public static class TrainerServer
{
    public static Task<HttpProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string portVariable) =>
        HttpProcess.StartAsync(new ProcessStartInfo("dotnet", [typeof(MlFunctions.Trainer.RetrainRunner).Assembly.Location]), portVariable, settings);

    /// <summary>A bucket with the penguin spec and a queued job for penguins.csv (or <paramref name="data"/>), made by on-upload: the job manifest's key.</summary>
    public static async Task<string> QueueJobAsync(IObjectStore bucket, byte[]? data = null)
    {
        await SampleBucket.WritePenguinSpecAsync(bucket);
        var csv = data ?? await File.ReadAllBytesAsync(RepoPaths.Penguins);
        var etag = await bucket.WriteAsync("training/penguins/all.csv", csv, "text/csv", WriteCondition.Always, CancellationToken.None);
        var onUpload = new OnUploadFunction(FunctionLimits.Default, new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero), ImageVariant.Parse(null, FunctionLimits.Default));
        var queued = await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, "training/penguins/all.csv", csv.Length, etag), bucket, CancellationToken.None);
        return queued.Written.Single(k => BucketLayout.ParseJob(k) is not null);
    }
}
