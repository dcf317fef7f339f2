using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Testing.Servers;

/// <summary>What a bucket needs before penguins.csv can be dropped under training/penguins/, and a job made from it.</summary>
public static class SampleBucket
{
    public static async Task WritePenguinSpecAsync(IObjectStore store) =>
        await store.WriteAsync(BucketLayout.ModelSpec("penguins"), await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "samples", "penguins.model.json")),
            ObjectStoreJson.ContentType, WriteCondition.Always, CancellationToken.None);

    /// <summary>The spec, penguins.csv (or <paramref name="data"/>) under training/penguins/, and its queued job, made by on-upload: the manifest's key.</summary>
    public static async Task<string> QueuePenguinJobAsync(IObjectStore bucket, byte[]? data = null)
    {
        await WritePenguinSpecAsync(bucket);
        var csv = data ?? await File.ReadAllBytesAsync(RepoPaths.Penguins);
        var etag = await bucket.WriteAsync("training/penguins/all.csv", csv, "text/csv", WriteCondition.Always, CancellationToken.None);
        var onUpload = new OnUploadFunction(FunctionLimits.Default, new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero), ImageVariant.Parse(null, FunctionLimits.Default));
        var queued = await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, "training/penguins/all.csv", csv.Length, etag), bucket, CancellationToken.None);
        return queued.Written.Single(k => BucketLayout.ParseJob(k) is not null);
    }
}
