using System.Globalization;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;
using MlFunctions.Gcp;
using MlFunctions.Hosting;

// The Functions Framework contract: FUNCTION_TARGET names the function, PORT the port (8080).
var bucket = new LocalFolderStore(Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
var catalog = FunctionCatalog.Create(FunctionLimits.FromSettings(Environment.GetEnvironmentVariable), bucket, TimeSpan.FromSeconds(10));
var target = Environment.GetEnvironmentVariable("FUNCTION_TARGET") ?? "";
var function = catalog.Find(target);
if (function is null)
{
    Console.Error.WriteLine($"FUNCTION_TARGET '{target}' is not a function; the catalog has: {string.Join(", ", catalog.Functions.Select(f => f.Name))}.");
    return 1;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "8080", CultureInfo.InvariantCulture);
// Cloud Run and Cloud Functions route to the container's port on every interface.
builder.WebHost.UseKestrel(kestrel =>
{
    kestrel.ListenAnyIP(port);
    kestrel.Limits.MaxRequestBodySize = null; // the pipeline refuses large bodies with problem+json
});
var app = builder.Build();
var pipeline = new FunctionPipeline(catalog, (name, fault) => app.Logger.LogError(fault, "Function {Function} failed", name));
var route = new TargetRoute(function);
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
    context.Request.RouteValues = new(route.Values(context.Request.Path).ToDictionary(v => v.Key, v => (object?)v.Value));
    await HttpTranslation.InvokeAsync(pipeline, function, context);
});
await app.RunAsync();
return 0;
