using System.Globalization;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Gcp;
using MlFunctions.Hosting;
using MlFunctions.Storage.Gcp;

// The Functions Framework contract: FUNCTION_TARGET names the function, PORT the port (8080).
Func<string, string?> setting = Environment.GetEnvironmentVariable;
var limits = FunctionLimits.FromSettings(setting, FunctionLimits.CloudRun);
var bucket = Bucket(setting);
var models = new ModelCache(new ObjectModelStore(bucket), TimeSpan.FromSeconds(10), graphs: new MlFunctions.Onnx.OnnxGraphRunner());
var catalog = FunctionCatalog.Create(limits, models, bucket);
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
var pipeline = new FunctionPipeline(catalog, (name, fault) => app.Logger.LogError(fault, "Function {Function} failed", name));
var route = function is null ? null : new TargetRoute(function);
var onUpload = function is null ? new OnUploadFunction(limits, models, ImageVariant.Parse(setting("MLF_IMAGE_VARIANTS"), limits)) : null;
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
        await OnUploadEvent.HandleAsync(context, onUpload, bucket, app.Logger);
        return;
    }
    context.Request.RouteValues = new(route!.Values(context.Request.Path).ToDictionary(v => v.Key, v => (object?)v.Value));
    await HttpTranslation.InvokeAsync(pipeline, function!, context);
});
await app.RunAsync();
return 0;

// The bucket: GCS (MLF_BUCKET, made on first use; STORAGE_EMULATOR_HOST for another server), unless
// MLF_STORAGE=folder points MLF_BUCKET at a folder.
static IObjectStore Bucket(Func<string, string?> setting) => setting("MLF_STORAGE") switch
{
    "folder" => new LocalFolderStore(setting("MLF_BUCKET") ?? "bucket"),
    null or "" or "gcs" => new LazyObjectStore(setting("MLF_BUCKET") ?? "", () => GcsObjectStore.FromEnvironment(setting, new HttpClient())),
    var other => throw new InvalidOperationException($"MLF_STORAGE '{other}' is not one of: gcs, folder."),
};
