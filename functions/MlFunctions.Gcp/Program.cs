using System.Globalization;
using MlFunctions.Composition;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Uploads;
using MlFunctions.Gcp;
using MlFunctions.Hosting;
using MlFunctions.Storage.Gcp;

// The Functions Framework contract: FUNCTION_TARGET names the function, PORT the port (8080).
if (args.Length > 0)
{
    var help = args is ["--help"] or ["-h"];
    (help ? Console.Out : Console.Error).Write(help
        ? """
            MlFunctions.Gcp: a Cloud Run / Cloud Functions service on the Functions Framework contract (Native AOT). It takes no arguments.
              FUNCTION_TARGET  the function: resize, tensor, features, format, predict, jobs or on-upload
              PORT             the port (8080)
              MLF_BUCKET       the GCS bucket (or, with MLF_STORAGE=folder, a folder); MLF_MAX_* the limits

            """
        : $"MlFunctions.Gcp: it takes no arguments, not '{args[0]}' (--help says what it reads).\n");
    return help ? 0 : 2;
}
Func<string, string?> setting = Environment.GetEnvironmentVariable;
// The bucket: GCS (MLF_BUCKET, made on first use; STORAGE_EMULATOR_HOST for another server), unless
// MLF_STORAGE=folder points MLF_BUCKET at a folder.
var services = FunctionServices.Create(setting, FunctionLimits.CloudRun,
    BucketChoice.Open(setting, lazy: true, new StoreKind("gcs", s => GcsObjectStore.FromEnvironment(s, new HttpClient()))));
var catalog = services.Catalog;
var target = setting("FUNCTION_TARGET") ?? "";
SkiaWarmUp.BeginFor(target);
var function = catalog.Find(target);
if (function is null && target != OnUploadFunction.Name)
{
    Console.Error.WriteLine($"FUNCTION_TARGET '{target}' is not a function; the catalog has: {string.Join(", ", catalog.Functions.Select(f => f.Name))}, {OnUploadFunction.Name}.");
    return 1;
}

var builder = FunctionHost.CreateBuilder();
var port = int.Parse(setting("PORT") ?? "8080", CultureInfo.InvariantCulture);
// Cloud Run and Cloud Functions route to the container's port on every interface.
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenAnyIP(port);
    kestrel.Limits.MaxRequestBodySize = null; // the pipeline refuses large bodies with problem+json
});
var app = builder.Build();
var pipeline = new FunctionPipeline(catalog, (name, fault) => app.Logger.LogError(fault, "Function {Function} failed", name), new StructuredLogMetrics(Console.Out));
// Captured traffic still queued is written when the host stops (after in-flight requests drained).
services.Capture.FlushWhen(app.Lifetime.ApplicationStopped);
var route = function is null ? null : new TargetRoute(function);
var onUpload = function is null ? services.CreateOnUpload() : null;
app.Run(async context =>
{
    // As the reference framework does: these two never reach the function.
    if (context.Request.Path == "/robots.txt" || context.Request.Path == "/favicon.ico")
    {
        context.Response.StatusCode = 404;
        return;
    }
    // A failure of ours is marked for Google's front end, as the reference framework marks it.
    context.Response.OnStarting(() =>
    {
        if (context.Response.StatusCode >= 500)
        {
            context.Response.Headers["X-Google-Status"] = "error";
        }
        return Task.CompletedTask;
    });
    if (onUpload is not null)
    {
        await OnUploadEvent.HandleAsync(context, onUpload, services.Bucket, app.Logger);
        return;
    }
    context.Request.RouteValues = new(route!.Values(context.Request.Path).ToDictionary(v => v.Key, v => (object?)v.Value));
    await HttpTranslation.InvokeAsync(pipeline, function!, context);
});
await app.RunAsync();
return 0;

