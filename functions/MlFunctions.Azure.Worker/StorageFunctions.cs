using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Storage.Azure;

namespace MlFunctions.Azure.Worker;

/// <summary>
/// The non-HTTP functions: on-upload on a blob trigger whose events come through Event Grid (the Flex
/// Consumption way: the subscription's subject filters name on-upload's prefixes, so what on-upload writes
/// does not start it again), and the hourly drift schedule. Both run the Core jobs the custom handler runs.
/// </summary>
public sealed class StorageFunctions(OnUploadFunction onUpload, DriftJobs drift, IObjectStore bucket, ILogger<StorageFunctions> log)
{
    public const string Container = "%MLF_BUCKET%";

    /// <summary>
    /// The blob is bound as a <see cref="BlobClient"/> (deferred: the host sends its name, never its bytes);
    /// on-upload streams it from the container itself. What it reads is the trigger's metadata (BlobTrigger
    /// and Properties), parsed by the custom handler's parser for a blob trigger's payload. It returns the outcome's JSON,
    /// the custom handler's ReturnValue (the worker's own serializer would name its members differently).
    /// </summary>
    [Function(OnUploadFunction.Name)]
    [SuppressMessage("Style", "IDE0060", Justification = "The parameter declares the trigger; the metadata names the blob.")]
    public async Task<string> OnUpload(
        [BlobTrigger(Container + "/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        FunctionContext context)
    {
        var metadata = context.BindingContext.BindingData.ToDictionary(
            entry => entry.Key,
            entry => JsonSerializer.SerializeToElement(entry.Value?.ToString() ?? "", WorkerJsonContext.Default.String));
        var upload = BlobEvents.Parse(new CustomHandlerRequest(null, metadata));
        var outcome = await ContainerUploads.HandleAsync(onUpload, upload, bucket, context.CancellationToken).ConfigureAwait(false);
        log.LogInformation("{Function} {Key}: {Result}: {Detail}", OnUploadFunction.Name, outcome.Key, outcome.Result, outcome.Detail);
        return JsonSerializer.Serialize(outcome, CoreJsonContext.Web.UploadOutcome);
    }

    /// <summary>Every hour at minute 0 (NCRONTAB), as the custom handler's drift-schedule.</summary>
    [Function("drift-schedule")]
    [SuppressMessage("Style", "IDE0060", Justification = "The parameter declares the trigger; when it fired is not read.")]
    public async Task DriftSchedule([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context)
    {
        foreach (var report in await drift.RunScheduledAsync(context.CancellationToken).ConfigureAwait(false))
        {
            log.LogInformation("{Line}", report.Summary());
        }
    }
}
