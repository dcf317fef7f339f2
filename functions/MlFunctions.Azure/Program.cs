using System.Globalization;
using MlFunctions.Azure;
using MlFunctions.Composition;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Uploads;
using MlFunctions.Storage.Azure;
using MlFunctions.Hosting;

Func<string, string?> setting = Environment.GetEnvironmentVariable;
// The container: Azure Blob (MLF_BUCKET in the AzureWebJobsStorage account, made on first use), unless
// MLF_STORAGE=folder points MLF_BUCKET at a folder.
var services = FunctionServices.Create(setting, FunctionLimits.Azure, BucketChoice.Open(setting, lazy: true, new StoreKind("azure-blob", BlobObjectStore.FromEnvironment)));
var catalog = services.Catalog;

if (args is ["--help"] or ["-h"])
{
    Console.Out.Write("""
        MlFunctions.Azure: the Azure Functions custom handler (Native AOT). The Functions host starts it with no arguments.
          FUNCTIONS_CUSTOMHANDLER_PORT  the port the host forwards requests to (set by the host)
          AzureWebJobsStorage, MLF_BUCKET  the storage account and container; MLF_MAX_* the limits
        MlFunctions.Azure function-json DIR             writes every function's function.json (the publish script runs it)
        MlFunctions.Azure event-grid-filters CONTAINER  prints on-upload's Event Grid subject filters (the deploy script runs it)

        """);
    return 0;
}
if (args.Length > 0 && args is not ["function-json", _] and not ["event-grid-filters", _])
{
    Console.Error.WriteLine($"MlFunctions.Azure: '{string.Join(' ', args)}' is not a command: function-json DIR, event-grid-filters CONTAINER, or nothing (--help says more).");
    return 2;
}
// MlFunctions.Azure function-json DIR: the publish step writes every function's function.json.
if (args is ["function-json", var folder])
{
    FunctionJson.WriteAll(catalog, folder);
    return 0;
}
// MlFunctions.Azure event-grid-filters CONTAINER: the deploy script's subject filters for on-upload, one a line.
if (args is ["event-grid-filters", var container])
{
    Console.Out.Write(string.Join('\n', EventGridFilters.For(catalog, container)) + "\n");
    return 0;
}

// One handler serves every function, images among them.
SkiaWarmUp.BeginFor(null);
var builder = FunctionHost.CreateBuilder();
var port = int.Parse(Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "8080", CultureInfo.InvariantCulture);
// The Functions host talks to its handler over loopback only.
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(System.Net.IPAddress.Loopback, port);
    kestrel.Limits.MaxRequestBodySize = null; // the pipeline refuses large bodies with problem+json
});
var app = builder.Build();
var pipeline = new FunctionPipeline(catalog, (name, fault) => app.Logger.LogError(fault, "Function {Function} failed", name), new StructuredLogMetrics(Console.Out));
// Captured traffic still queued is written when the host stops (after in-flight requests drained).
services.Capture.FlushWhen(app.Lifetime.ApplicationStopped);
// The host polls GET / until the handler answers: that is readiness.
app.MapGet("/", (RequestDelegate)(context => HttpTranslation.Write(catalog.Describe(), context)));
// Non-HTTP triggers: the host POSTs /{function} with {Data, Metadata}.
var onUpload = services.CreateOnUpload();
app.MapPost("/" + OnUploadFunction.Name, (RequestDelegate)(context => OnUploadEndpoint.HandleAsync(context, onUpload, services.Bucket, app.Logger)));
var drift = services.CreateDriftJobs();
app.MapPost("/" + DriftScheduleEndpoint.Name, (RequestDelegate)(context => DriftScheduleEndpoint.HandleAsync(context, drift, app.Logger)));
// enableForwardingHttpRequest: the host forwards /api/... requests unchanged.
app.MapCatalog(pipeline);
await app.RunAsync();
return 0;

