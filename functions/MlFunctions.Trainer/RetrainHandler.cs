using System.Text.Json;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Lambda;
using MlFunctions.Storage.Aws;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Trainer;

/// <summary>
/// The retrain Lambda: S3 events for jobs/&lt;model&gt;/&lt;job-id&gt;.json run the job; events for the status
/// documents beside them (the same prefix and suffix) are ignored. Redelivered events find the job
/// taken and do nothing.
/// </summary>
public sealed class RetrainHandler(IObjectStore bucket) : ILambdaHandler
{
    public string Name => "retrain";

    public string Accepts => "an S3 event notification";

    public async Task<LambdaResult> HandleAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var statuses = new List<JobStatus>();
        var job = new RetrainJob(bucket, line => JsonLog.Write("INFO", line, function: Name));
        foreach (var upload in S3Events.Parse(payload))
        {
            if (upload.Bucket == bucket.Bucket && BucketLayout.ParseJob(upload.Key) is not null
                && await job.RunAsync(upload.Key, cancellationToken).ConfigureAwait(false) is { } status)
            {
                statuses.Add(status);
            }
        }
        return new LambdaResult(JsonSerializer.SerializeToUtf8Bytes(statuses.ToArray(), CoreJsonContext.Web.JobStatusArray), Note: $"{statuses.Count} jobs run");
    }
}
