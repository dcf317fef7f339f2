using System.Globalization;
using MlFunctions.Azure;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Storage.Azure;
using MlFunctions.Hosting;

Func<string, string?> setting = Environment.GetEnvironmentVariable;
var limits = FunctionLimits.FromSettings(setting, FunctionLimits.Azure);
var bucket = Bucket(setting);
var models = new ModelCache(new ObjectModelStore(bucket), TimeSpan.FromSeconds(10), graphs: new MlFunctions.Onnx.OnnxGraphRunner());
var catalog = FunctionCatalog.Create(limits, models, bucket);

// MlFunctions.Azure function-json DIR: the publish step writes every function's function.json.
if (args is ["function-json", var folder])
{
    FunctionJson.WriteAll(catalog, folder);
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
var pipeline = new FunctionPipeline(catalog, (name, fault) => app.Logger.LogError(fault, "Function {Function} failed", name));
// The host polls GET / until the handler answers: that is readiness.
app.MapGet("/", (RequestDelegate)(context => HttpTranslation.Write(catalog.Describe(), context)));
// Non-HTTP triggers: the host POSTs /{function} with {Data, Metadata}.
var onUpload = new OnUploadFunction(limits, models, ImageVariant.Parse(setting("MLF_IMAGE_VARIANTS"), limits));
app.MapPost("/" + OnUploadFunction.Name, (RequestDelegate)(context => OnUploadEndpoint.HandleAsync(context, onUpload, bucket, app.Logger)));
// enableForwardingHttpRequest: the host forwards /api/... requests unchanged.
app.MapCatalog(pipeline);
await app.RunAsync();
return 0;

// The container: Azure Blob (MLF_BUCKET in the AzureWebJobsStorage account, made on first use), unless
// MLF_STORAGE=folder points MLF_BUCKET at a folder.
static IObjectStore Bucket(Func<string, string?> setting) => setting("MLF_STORAGE") switch
{
    "folder" => new LocalFolderStore(setting("MLF_BUCKET") ?? "bucket"),
    null or "" or "azure-blob" => new LazyObjectStore(setting("MLF_BUCKET") ?? "", () => BlobObjectStore.FromEnvironment(setting)),
    var other => throw new InvalidOperationException($"MLF_STORAGE '{other}' is not one of: azure-blob, folder."),
};
