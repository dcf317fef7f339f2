using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlFunctions.Azure.Worker;
using MlFunctions.Composition;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Hosting;
using MlFunctions.Storage.Azure;

// The Functions host starts the worker (worker.config.json: dotnet MlFunctions.Azure.Worker.dll) with the
// address of its gRPC endpoint; the worker library reads those arguments itself.
Func<string, string?> setting = Environment.GetEnvironmentVariable;
// The container: Azure Blob (MLF_BUCKET in the AzureWebJobsStorage account, made on first use), unless
// MLF_STORAGE=folder points MLF_BUCKET at a folder: the custom handler's composition, unchanged.
var services = FunctionServices.Create(setting, FunctionLimits.Azure, BucketChoice.Open(setting, lazy: true, new StoreKind("azure-blob", BlobObjectStore.FromEnvironment)));
// MlFunctions.Azure.Worker event-grid-filters CONTAINER: the deploy script's subject filters for on-upload, one a line.
if (args is ["event-grid-filters", var container])
{
    Console.Out.Write(string.Join('\n', EventGridFilters.For(services.Catalog, container)) + "\n");
    return 0;
}
SkiaWarmUp.BeginFor(null);

var builder = FunctionsApplication.CreateBuilder(args);
// ASP.NET Core integration: the host proxies each HTTP call to the worker's own Kestrel, so the functions
// read and write plain HttpContext, as the other Kestrel hosts do.
builder.ConfigureFunctionsWebApplication();
builder.Services.AddSingleton(services.Bucket);
builder.Services.AddSingleton(provider =>
{
    var log = provider.GetRequiredService<ILoggerFactory>().CreateLogger("MlFunctions");
    return new FunctionPipeline(services.Catalog, (name, fault) => log.LogError(fault, "Function {Function} failed", name), new StructuredLogMetrics(Console.Out));
});
builder.Services.AddSingleton<CatalogInvoker>();
builder.Services.AddSingleton(_ => services.CreateOnUpload());
builder.Services.AddSingleton(_ => services.CreateDriftJobs());
var app = builder.Build();
// Captured traffic still queued is written when the worker stops.
services.Capture.FlushWhen(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped);
await app.RunAsync();
return 0;
