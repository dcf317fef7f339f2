using System.Text.Json;
using MlFunctions.Aws.Bootstrap;
using MlFunctions.Aws.Client;
using MlFunctions.Aws.Events;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;

// The Lambda custom runtime: _HANDLER names the catalog function this deployment serves.
using var runtime = new RuntimeApiClient(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
    ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set: this binary runs under Lambda or its emulator."));
LambdaBootstrap bootstrap;
try
{
    var limits = FunctionLimits.FromSettings(Environment.GetEnvironmentVariable);
    // Models from a bucket folder (MLF_BUCKET, holding models/...); S3 comes with the S3 store.
    var bucket = new LocalFolderStore(Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "/opt/bucket");
    var catalog = FunctionCatalog.Create(limits, bucket, TimeSpan.FromSeconds(10));
    var name = Environment.GetEnvironmentVariable("_HANDLER") ?? "";
    var function = catalog.Find(name)
        ?? throw new InvalidOperationException($"_HANDLER '{name}' is not a function; the catalog has: {string.Join(", ", catalog.Functions.Select(f => f.Name))}.");
    var pipeline = new FunctionPipeline(catalog, (fn, fault) => JsonLog.Write("ERROR", $"{fn} failed: {fault.GetType().Name}: {fault.Message}"));
    bootstrap = new LambdaBootstrap(runtime, pipeline, function);
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException)
{
    JsonLog.Write("ERROR", $"Initialisation failed: {e.Message}");
    await runtime.ReportInitErrorAsync(JsonSerializer.SerializeToUtf8Bytes(new LambdaError(e.Message, "Runtime.InitError", []), AwsJsonContext.Default.LambdaError),
        "Runtime.InitError", CancellationToken.None);
    return 1;
}
try
{
    await bootstrap.RunAsync(CancellationToken.None);
    return 0;
}
catch (HttpRequestException e)
{
    // The Runtime API failed (a 500, or gone): the sandbox is being torn down, so exit at once.
    JsonLog.Write("ERROR", $"Runtime API failed: {e.Message}");
    return 2;
}
