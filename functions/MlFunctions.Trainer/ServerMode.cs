#if MLF_AZURE || MLF_GCP
using System.Globalization;
#if MLF_AZURE
using System.Text.Json;
using MlFunctions.Core.Json;
using MlFunctions.Storage.Azure;
#endif
#if MLF_GCP
using MlFunctions.Storage.Gcp;
#endif

namespace MlFunctions.Trainer;

/// <summary>
/// The Trainer as an HTTP-triggered retrain function, on the two platforms that deliver events over HTTP:
/// <list type="bullet">
/// <item>Azure Functions (FUNCTIONS_CUSTOMHANDLER_PORT set): a custom handler of its own function app;
/// the host POSTs /retrain with a blob trigger's (or Event Grid's) {Data, Metadata} and gets
/// {Outputs, Logs, ReturnValue}, the job's status in ReturnValue.</item>
/// <item>Cloud Run or Cloud Functions (FUNCTION_TARGET=retrain): a CloudEvent function for Eventarc's
/// storage.object.v1.finalized events; 204 when handled, 400 for a malformed event.</item>
/// </list>
/// A failure of the job itself is its status (failed), not an HTTP error; a store failure is a 500, so
/// that the platform delivers the event again.
/// </summary>
internal static class ServerMode
{
#if MLF_AZURE
    public static bool IsAzure => Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is not null;
#else
    public static bool IsAzure => false;
#endif

#if MLF_GCP
    public static bool IsGoogle => Environment.GetEnvironmentVariable("FUNCTION_TARGET") == "retrain";
#else
    public static bool IsGoogle => false;
#endif

    public static async Task<int> RunAsync()
    {
        Func<string, string?> setting = Environment.GetEnvironmentVariable;
        var builder = Hosting.FunctionHost.CreateBuilder();
        var port = int.Parse((IsAzure ? setting("FUNCTIONS_CUSTOMHANDLER_PORT") : setting("PORT")) ?? "8080", CultureInfo.InvariantCulture);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (IsAzure)
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, port); // the Functions host talks over loopback only
            }
            else
            {
                kestrel.ListenAnyIP(port);
            }
        });
        var app = builder.Build();
        var runner = new RetrainRunner(RetrainRunner.BucketFromEnvironment(setting, IsAzure ? "azure-blob" : "gcs"), line => app.Logger.LogInformation("{Line}", line));
#if MLF_AZURE
        if (IsAzure)
        {
            app.MapGet("/", () => Results.Text("retrain\n"));
            app.MapPost("/retrain", (RequestDelegate)(context => AzureAsync(context, runner)));
        }
#endif
#if MLF_GCP
        if (IsGoogle)
        {
            app.Run(context => GoogleAsync(context, runner, app.Logger));
        }
#endif
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

#if MLF_AZURE
    private static async Task AzureAsync(HttpContext context, RetrainRunner runner)
    {
        Core.Storage.ObjectCreated upload;
        try
        {
            var payload = await JsonSerializer.DeserializeAsync(context.Request.Body, PayloadJsonContext.Default.CustomHandlerRequest, context.RequestAborted).ConfigureAwait(false)
                ?? throw new JsonException("The payload is JSON null.");
            upload = BlobEvents.Parse(payload);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            await Results.Problem($"The payload is not a custom handler blob event: {e.Message}", statusCode: 400).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var status = await runner.RunAsync(upload, context.RequestAborted).ConfigureAwait(false);
        var value = status is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(status, CoreJsonContext.Web.JobStatus);
        var log = status is null ? $"{upload.Key}: nothing to run" : $"{upload.Key}: {status.State}: {status.Reason}";
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new CustomHandlerResponse([], [log], value), PayloadJsonContext.Default.CustomHandlerResponse, context.RequestAborted).ConfigureAwait(false);
    }

#endif

#if MLF_GCP
    private static async Task GoogleAsync(HttpContext context, RetrainRunner runner, ILogger log)
    {
        Core.Storage.ObjectCreated? upload;
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            upload = CloudEventReader.Finalized(CloudEventReader.Read(context.Request.ContentType,
                context.Request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body.ToArray()));
        }
        catch (FormatException e)
        {
            await Results.Problem($"The request is not a valid CloudEvent: {e.Message}", statusCode: 400).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        if (upload is not null)
        {
            var status = await runner.RunAsync(upload, context.RequestAborted).ConfigureAwait(false);
            log.LogInformation("retrain {Key}: {State}", upload.Key, status?.State ?? "nothing to run");
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
#endif
}
#endif
