using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Hosting;
using MlFunctions.Storage.Azure;

namespace MlFunctions.Azure;

/// <summary>
/// POST /on-upload: the custom handler side of a blob or Event Grid trigger. The object is read from
/// the container (not from the payload's copy), so that a redelivery sees what is stored now. A
/// payload that is not a blob event is a 400; a store failure a 500, which the host retries.
/// </summary>
internal static class OnUploadEndpoint
{
    public static async Task HandleAsync(HttpContext context, OnUploadFunction onUpload, IObjectStore bucket, ILogger log)
    {
        ObjectCreated upload;
        try
        {
            var payload = await JsonSerializer.DeserializeAsync(context.Request.Body, PayloadJsonContext.Default.CustomHandlerRequest, context.RequestAborted).ConfigureAwait(false)
                ?? throw new JsonException("The payload is JSON null.");
            upload = BlobEvents.Parse(payload);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            await HttpTranslation.Write(ProblemType.InvalidJson.With($"The payload is not a custom handler blob event: {e.Message}").ToResponse(), context).ConfigureAwait(false);
            return;
        }
        var outcome = await ContainerUploads.HandleAsync(onUpload, upload, bucket, context.RequestAborted).ConfigureAwait(false);
        var line = $"{OnUploadFunction.Name} {outcome.Key}: {outcome.Result}: {outcome.Detail}";
        log.LogInformation("{Line}", line);
        var response = new CustomHandlerResponse([], [line], JsonSerializer.SerializeToElement(outcome, CoreJsonContext.Web.UploadOutcome));
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, response, PayloadJsonContext.Default.CustomHandlerResponse, context.RequestAborted).ConfigureAwait(false);
    }
}
