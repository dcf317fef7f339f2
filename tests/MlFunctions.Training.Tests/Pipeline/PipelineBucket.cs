using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Testing.Servers;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>A bucket with the penguin model's spec, and the platform's part played by hand: drop a file, deliver its event, run the jobs it created.</summary>
internal sealed class PipelineBucket(IObjectStore store, Action<string> log)
{
    public const string Model = "penguins";

    public IObjectStore Store { get; } = store;

    public OnUploadFunction OnUpload { get; } = Create(store);

    public static async Task<PipelineBucket> CreateAsync(IObjectStore store, Action<string> log)
    {
        await SampleBucket.WritePenguinSpecAsync(store);
        return new PipelineBucket(store, log);
    }

    /// <summary>Writes the object and returns the event a cloud would send for it.</summary>
    public async Task<ObjectCreated> DropAsync(string key, byte[] content)
    {
        var etag = await Store.WriteAsync(key, content, "application/octet-stream", WriteCondition.Always, CancellationToken.None);
        return new ObjectCreated(Store.Bucket, key, content.Length, etag);
    }

    public Task<UploadOutcome> DeliverAsync(ObjectCreated upload) => OnUpload.HandleAsync(upload, Store, CancellationToken.None);

    public async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in Store.ListAsync(prefix, CancellationToken.None))
        {
            keys.Add(key);
        }
        return keys;
    }

    /// <summary>The job manifests under jobs/penguins/ (not their statuses).</summary>
    public async Task<List<string>> JobsAsync() => (await KeysAsync($"jobs/{Model}/")).Where(k => BucketLayout.ParseJob(k) is not null).ToList();

    public async Task<List<string>> VersionsAsync() =>
        (await KeysAsync($"models/{Model}/")).Where(k => k.EndsWith("/bundle.json", StringComparison.Ordinal)).ToList();

    public Task<JobStatus?> RetrainAsync(string manifest) => new RetrainJob(Store, log).RunAsync(manifest, CancellationToken.None);

    public async Task<JobStatus> StatusAsync(string jobId) =>
        (await Store.ReadJsonAsync(BucketLayout.JobStatus(Model, jobId), CoreJsonContext.Web.JobStatus, CancellationToken.None))!.Value.Value;

    private static OnUploadFunction Create(IObjectStore store) =>
        new(FunctionLimits.Default, new Core.Models.Store.ModelCache(new Core.Models.Store.ObjectModelStore(store), TimeSpan.Zero),
            ImageVariant.Parse(null, FunctionLimits.Default));
}
