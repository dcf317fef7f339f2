using MlFunctions.Core.Storage;
using MlFunctions.Lambda;
using MlFunctions.Storage.Aws;

namespace MlFunctions.Trainer;

/// <summary>
/// The Trainer as a Lambda custom runtime (published self-contained as bootstrap): the retrain function.
/// The bucket is S3 (MLF_BUCKET), or a folder with MLF_STORAGE=folder.
/// </summary>
internal static class LambdaMode
{
    public static bool IsLambda => Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") is not null;

    public static async Task<int> RunAsync()
    {
        using var runtime = new RuntimeApiClient(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")!);
        LambdaBootstrap bootstrap;
        try
        {
            bootstrap = new LambdaBootstrap(runtime, new RetrainHandler(Bucket(Environment.GetEnvironmentVariable)));
        }
        catch (InvalidOperationException e)
        {
            JsonLog.Write("ERROR", $"Initialisation failed: {e.Message}");
            await LambdaBootstrap.ReportInitErrorAsync(runtime, e.Message).ConfigureAwait(false);
            return 1;
        }
        try
        {
            await bootstrap.RunAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        }
        catch (HttpRequestException e)
        {
            JsonLog.Write("ERROR", $"Runtime API failed: {e.Message}");
            return 2;
        }
    }

    private static IObjectStore Bucket(Func<string, string?> setting) => setting("MLF_STORAGE") switch
    {
        "folder" => new LocalFolderStore(setting("MLF_BUCKET") ?? throw new InvalidOperationException("MLF_STORAGE=folder needs MLF_BUCKET, the folder.")),
        null or "" or "s3" => S3ObjectStore.FromEnvironment(setting),
        var other => throw new InvalidOperationException($"MLF_STORAGE '{other}' is not one of: s3, folder."),
    };
}
