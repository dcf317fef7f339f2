using MlFunctions.Composition;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Storage;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Trainer;

/// <summary>
/// The retrain function on any platform: an object-created event for jobs/&lt;model&gt;/&lt;job-id&gt;.json runs
/// the job. Events for the status documents beside it, for other buckets, or for a job already taken
/// (a redelivery) do nothing and give null.
/// </summary>
public sealed class RetrainRunner(IObjectStore bucket, Action<string> log)
{
    public IObjectStore Bucket { get; } = bucket;

    public async Task<JobStatus?> RunAsync(ObjectCreated upload, CancellationToken cancellationToken)
    {
        if (upload.Bucket != Bucket.Bucket || BucketLayout.ParseJob(upload.Key) is null)
        {
            log($"{upload.Bucket}/{upload.Key}: not a job manifest of {Bucket.Bucket}, ignored");
            return null;
        }
        return await new RetrainJob(Bucket, log, timings: JobTimings.FromSettings(Environment.GetEnvironmentVariable), onnx: Onnx(Bucket)).RunAsync(upload.Key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What image classifiers retrain with: ONNX Runtime and the registration from the composition root, the backbone from the build's output.</summary>
    public static OnnxTraining Onnx(IObjectStore bucket)
    {
        var services = FunctionServices.Create(Environment.GetEnvironmentVariable, Core.Contract.FunctionLimits.Default, bucket, TimeSpan.Zero);
        return OnnxTraining.FromOutput(services.Graphs, services.Registration, services.Limits);
    }

    /// <summary>The bucket: MLF_STORAGE picks the kind (the platform's own by default), MLF_BUCKET names it; the kinds are those built in (MlfCloud).</summary>
    public static IObjectStore BucketFromEnvironment(Func<string, string?> setting, string platformDefault) =>
        BucketChoice.Open(setting, lazy: false, [.. Stores.OrderBy(k => k.Name != platformDefault)]);

    private static readonly StoreKind[] Stores =
    [
#if MLF_AWS
        new("s3", Storage.Aws.S3ObjectStore.FromEnvironment),
#endif
#if MLF_AZURE
        new("azure-blob", Storage.Azure.BlobObjectStore.FromEnvironment),
#endif
#if MLF_GCP
        new("gcs", s => Storage.Gcp.GcsObjectStore.FromEnvironment(s, new HttpClient())),
#endif
    ];
}
