using System.Globalization;
using MlFunctions.Azure;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;
using MlFunctions.Hosting;

// Models from a bucket folder (MLF_BUCKET, default ./bucket, holding models/...).
var bucket = new LocalFolderStore(Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
var catalog = FunctionCatalog.Create(FunctionLimits.FromSettings(Environment.GetEnvironmentVariable), bucket, TimeSpan.FromSeconds(10));

// MlFunctions.Azure function-json DIR: the publish step writes every function's function.json.
if (args is ["function-json", var folder])
{
    FunctionJson.WriteAll(catalog, folder);
    return 0;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var port = int.Parse(Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "8080", CultureInfo.InvariantCulture);
// The Functions host talks to its handler over loopback only.
builder.WebHost.UseKestrel(kestrel =>
{
    kestrel.Listen(System.Net.IPAddress.Loopback, port);
    kestrel.Limits.MaxRequestBodySize = null; // the pipeline refuses large bodies with problem+json
});
var app = builder.Build();
var pipeline = new FunctionPipeline(catalog, (name, fault) => app.Logger.LogError(fault, "Function {Function} failed", name));
// The host polls GET / until the handler answers: that is readiness.
app.MapGet("/", (RequestDelegate)(context => HttpTranslation.Write(catalog.Describe(), context)));
// enableForwardingHttpRequest: the host forwards /api/... requests unchanged.
app.MapCatalog(pipeline);
await app.RunAsync();
return 0;
