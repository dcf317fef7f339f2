using MlFunctions.Aws;
using MlFunctions.Aws.Events;
using MlFunctions.Aws.Handlers;
using MlFunctions.Composition;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Uploads;
using MlFunctions.Lambda;
using MlFunctions.Storage.Aws;

// The Lambda custom runtime: _HANDLER names the catalog function this deployment serves.
if (args is ["--help"] or ["-h"])
{
    Console.Out.Write("""
        bootstrap: the MlFunctions Lambda custom runtime (Native AOT). Lambda starts it; it takes no arguments.
          AWS_LAMBDA_RUNTIME_API  the Runtime API's host:port (set by Lambda)
          _HANDLER                the function: resize, tensor, features, format, predict, jobs or on-upload
          MLF_BUCKET              the S3 bucket (or, with MLF_STORAGE=folder, a folder); MLF_MAX_* the limits

        """);
    return 0;
}
if (args.Length > 0 || Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") is not { Length: > 0 } api)
{
    Console.Error.WriteLine(args.Length > 0
        ? $"bootstrap: it takes no arguments, not '{args[0]}' (--help says what it reads)."
        : "bootstrap: AWS_LAMBDA_RUNTIME_API is not set: this is a Lambda custom runtime, started by Lambda (or its emulator); --help says more.");
    return 2;
}
using var runtime = new RuntimeApiClient(api);
LambdaBootstrap bootstrap;
try
{
    Func<string, string?> setting = Environment.GetEnvironmentVariable;
    // The bucket: S3 (MLF_BUCKET, made on first use) unless MLF_STORAGE=folder points MLF_BUCKET at a folder.
    var services = FunctionServices.Create(setting, FunctionLimits.Lambda, BucketChoice.Open(setting, lazy: true, new StoreKind("s3", S3ObjectStore.FromEnvironment)));
    var catalog = services.Catalog;
    var name = setting("_HANDLER") ?? "";
    SkiaWarmUp.BeginFor(name);
    ILambdaHandler handler = name == OnUploadFunction.Name
        ? new OnUploadHandler(services.CreateOnUpload(), services.Bucket)
        : new HttpHandler(
            new FunctionPipeline(catalog, (fn, fault) => JsonLog.Write("ERROR", $"{fn} failed: {fault.GetType().Name}: {fault.Message}"), new EmbeddedMetrics(Console.Out)),
            catalog.Find(name) ?? throw new InvalidOperationException(
                $"_HANDLER '{name}' is not a function; the catalog has: {string.Join(", ", catalog.Functions.Select(f => f.Name))}, {OnUploadFunction.Name}."));
    handler = handler is HttpHandler http && name == "drift" ? new DriftHandler(http, services.CreateDriftJobs()) : handler;
    if (handler is HttpHandler or DriftHandler)
    {
        // The serializer's metadata for API Gateway events and answers, built while the first event is awaited.
        ThreadPool.UnsafeQueueUserWorkItem(static _ => AwsJsonContext.Default.Prepare(), null);
    }
    bootstrap = new LambdaBootstrap(runtime, handler);
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException)
{
    JsonLog.Write("ERROR", $"Initialisation failed: {e.Message}");
    await LambdaBootstrap.ReportInitErrorAsync(runtime, e.Message);
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

