#if MLF_AWS
using MlFunctions.Lambda;

namespace MlFunctions.Trainer;

/// <summary>
/// The Trainer as a Lambda custom runtime (published self-contained as bootstrap): the retrain function.
/// The bucket is S3 (MLF_BUCKET), or another kind with MLF_STORAGE.
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
            var bucket = RetrainRunner.BucketFromEnvironment(Environment.GetEnvironmentVariable, "s3");
            bootstrap = new LambdaBootstrap(runtime, new RetrainHandler(new RetrainRunner(bucket, line => JsonLog.Write("INFO", line, function: "retrain"))));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
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
}
#endif
