using System.Text.Json;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Lambda;
using MlFunctions.Storage.Aws;

namespace MlFunctions.Aws.Handlers;

/// <summary>
/// on-upload behind S3 event notifications: each ObjectCreated record of the event in turn. Bad objects
/// become status documents in the bucket; only a store failure throws, so that Lambda retries the event.
/// </summary>
internal sealed class OnUploadHandler(OnUploadFunction onUpload, IObjectStore bucket) : ILambdaHandler
{
    public string Name => OnUploadFunction.Name;

    public string Accepts => "an S3 event notification";

    public async Task<LambdaResult> HandleAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var outcomes = new List<UploadOutcome>();
        foreach (var upload in S3Events.Parse(payload))
        {
            var outcome = upload.Bucket == bucket.Bucket
                ? await onUpload.HandleAsync(upload, bucket, cancellationToken).ConfigureAwait(false)
                : UploadOutcome.Ignored(upload.Key, $"bucket '{upload.Bucket}' is not this function's bucket ('{bucket.Bucket}', MLF_BUCKET)");
            JsonLog.Write("INFO", $"{outcome.Key}: {outcome.Result}: {outcome.Detail}", function: Name);
            outcomes.Add(outcome);
        }
        return new LambdaResult(JsonSerializer.SerializeToUtf8Bytes(outcomes.ToArray(), CoreJsonContext.Web.UploadOutcomeArray), Note: $"{outcomes.Count} objects");
    }
}
