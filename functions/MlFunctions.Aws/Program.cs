using MlFunctions.Aws.Events;
using MlFunctions.Aws.Handlers;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Lambda;
using MlFunctions.Storage.Aws;

// The Lambda custom runtime: _HANDLER names the catalog function this deployment serves.
using var runtime = new RuntimeApiClient(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
    ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set: this binary runs under Lambda or its emulator."));
LambdaBootstrap bootstrap;
try
{
    Func<string, string?> setting = Environment.GetEnvironmentVariable;
    var limits = FunctionLimits.FromSettings(setting, FunctionLimits.Lambda);
    var bucket = Bucket(setting);
    var models = new ModelCache(new ObjectModelStore(bucket), TimeSpan.FromSeconds(10), graphs: new MlFunctions.Onnx.OnnxGraphRunner());
    var catalog = FunctionCatalog.Create(limits, models, bucket);
    var name = setting("_HANDLER") ?? "";
    SkiaWarmUp.BeginFor(name);
    ILambdaHandler handler = name == OnUploadFunction.Name
        ? new OnUploadHandler(new OnUploadFunction(limits, models, ImageVariant.Parse(setting("MLF_IMAGE_VARIANTS"), limits)), bucket)
        : new HttpHandler(
            new FunctionPipeline(catalog, (fn, fault) => JsonLog.Write("ERROR", $"{fn} failed: {fault.GetType().Name}: {fault.Message}")),
            catalog.Find(name) ?? throw new InvalidOperationException(
                $"_HANDLER '{name}' is not a function; the catalog has: {string.Join(", ", catalog.Functions.Select(f => f.Name))}, {OnUploadFunction.Name}."));
    if (handler is HttpHandler)
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

// The bucket: S3 (MLF_BUCKET, made on first use) unless MLF_STORAGE=folder points MLF_BUCKET at a folder.
static IObjectStore Bucket(Func<string, string?> setting) => setting("MLF_STORAGE") switch
{
    "folder" => new LocalFolderStore(setting("MLF_BUCKET") ?? throw new InvalidOperationException("MLF_STORAGE=folder needs MLF_BUCKET, the folder.")),
    null or "" or "s3" => new LazyObjectStore(setting("MLF_BUCKET") ?? "", () => S3ObjectStore.FromEnvironment(setting)),
    var other => throw new InvalidOperationException($"MLF_STORAGE '{other}' is not one of: s3, folder."),
};
