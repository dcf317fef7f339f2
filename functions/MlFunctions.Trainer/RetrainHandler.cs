#if MLF_AWS
using System.Text.Json;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Lambda;
using MlFunctions.Storage.Aws;

namespace MlFunctions.Trainer;

/// <summary>The retrain Lambda: S3 event notifications for job manifests, each run by the <see cref="RetrainRunner"/>.</summary>
public sealed class RetrainHandler(RetrainRunner runner) : ILambdaHandler
{
    public string Name => "retrain";

    public string Accepts => "an S3 event notification";

    public async Task<LambdaResult> HandleAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var statuses = new List<JobStatus>();
        foreach (var upload in S3Events.Parse(payload))
        {
            if (await runner.RunAsync(upload, cancellationToken).ConfigureAwait(false) is { } status)
            {
                statuses.Add(status);
            }
        }
        return new LambdaResult(JsonSerializer.SerializeToUtf8Bytes(statuses.ToArray(), CoreJsonContext.Web.JobStatusArray), Note: $"{statuses.Count} jobs run");
    }
}
#endif
