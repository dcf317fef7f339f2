using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Functions;

/// <summary>GET /api/jobs/{model}: the model's training jobs and where each stands, newest first.</summary>
public sealed class JobsFunction(IObjectStore bucket) : IHttpFunction
{
    private const int MaxJobs = 100;

    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        new Parameters(request.Query).RejectUnknown();
        var model = ModelNames.Check(request.RouteValues.GetValueOrDefault("model") ?? "", "model");
        var statuses = new List<JobStatus>();
        await foreach (var key in bucket.ListAsync($"{BucketLayout.Jobs}{model}/", cancellationToken).ConfigureAwait(false))
        {
            if (key.EndsWith(BucketLayout.StatusSuffix, StringComparison.Ordinal) && await ReadAsync(key, cancellationToken).ConfigureAwait(false) is { } status)
            {
                statuses.Add(status);
            }
        }
        var newest = statuses.OrderByDescending(s => s.History.Count > 0 ? s.History[0].At : s.UpdatedAt).Take(MaxJobs).ToArray();
        return FunctionResponse.Json(newest, CoreJsonContext.Web.JobStatusArray);
    }

    /// <summary>A job's status, or null when it is gone or is not a status document (one bad file must not hide the others).</summary>
    private async Task<JobStatus?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await bucket.ReadJsonAsync(key, CoreJsonContext.Web.JobStatus, cancellationToken).ConfigureAwait(false))?.Value;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or ObjectTooLargeException)
        {
            return null;
        }
    }
}
