using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Hosting;
using MlFunctions.Storage.Gcp;

namespace MlFunctions.Gcp;

/// <summary>
/// on-upload as a CloudEvent function (Eventarc's google.cloud.storage.object.v1.finalized): 204 when
/// handled, as the reference framework answers; 400 for a malformed CloudEvent; 500 when the store
/// fails, so that the event is redelivered. Other event types are acknowledged and ignored.
/// </summary>
internal static class OnUploadEvent
{
    /// <summary>The request's CloudEvent (binary or structured mode).</summary>
    public static async Task<CloudNative.CloudEvents.CloudEvent> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        return CloudEventReader.Read(request.ContentType, request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body.ToArray());
    }

    public static async Task HandleAsync(HttpContext context, OnUploadFunction onUpload, IObjectStore bucket, ILogger log)
    {
        ObjectCreated? upload;
        try
        {
            upload = CloudEventReader.Finalized(await ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false));
        }
        catch (FormatException e)
        {
            await HttpTranslation.Write(ProblemType.InvalidJson.With($"The request is not a valid CloudEvent: {e.Message}").ToResponse(), context).ConfigureAwait(false);
            return;
        }
        if (upload is null)
        {
            log.LogInformation("{Function}: not a {Type} event, ignored", OnUploadFunction.Name, CloudEventReader.StorageFinalized);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        try
        {
            var outcome = upload.Bucket == bucket.Bucket
                ? await onUpload.HandleAsync(upload, bucket, context.RequestAborted).ConfigureAwait(false)
                : UploadOutcome.Ignored(upload.Key, $"bucket '{upload.Bucket}' is not this function's bucket ('{bucket.Bucket}', MLF_BUCKET)");
            log.LogInformation("{Function} {Key}: {Result}: {Detail}", OnUploadFunction.Name, outcome.Key, outcome.Result, outcome.Detail);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "{Function} {Key} failed", OnUploadFunction.Name, upload.Key);
            await HttpTranslation.Write(ProblemType.Internal.With("on-upload could not finish; the event should be delivered again.").ToResponse(), context).ConfigureAwait(false);
        }
    }
}
