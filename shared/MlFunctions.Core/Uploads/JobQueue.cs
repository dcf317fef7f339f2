using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// Creates a job for the Trainer exactly once, whatever the redeliveries: its queued status, then its
/// manifest, each by a create-only write. An earlier delivery that stopped between the two has its
/// status there already and the manifest is written now; a later one finds the manifest and creates nothing.
/// </summary>
internal static class JobQueue
{
    /// <summary>True when this call created the job (the manifest), false when it existed.</summary>
    public static async Task<bool> CreateAsync(IObjectStore store, JobManifest job, JobStatus queued, CancellationToken cancellationToken)
    {
        await store.WriteJsonAsync(BucketLayout.JobStatus(job.Model, job.JobId), queued with { History = [new StateChange(JobStates.Queued, queued.UpdatedAt)] },
            CoreJsonContext.Web.JobStatus, WriteCondition.IfNoneMatch, cancellationToken).ConfigureAwait(false);
        return await store.WriteJsonAsync(BucketLayout.Job(job.Model, job.JobId), job, CoreJsonContext.Web.JobManifest, WriteCondition.IfNoneMatch, cancellationToken).ConfigureAwait(false) is not null;
    }
}
