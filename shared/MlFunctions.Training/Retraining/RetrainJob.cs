using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;

namespace MlFunctions.Training.Retraining;

/// <summary>
/// The retrain job: jobs/&lt;model&gt;/&lt;job-id&gt;.json in; a new model version, a champion decision and a
/// status document out. A job is claimed by a conditional write of its status (queued -> running), so
/// a redelivered event, or a second worker, finds it taken and does nothing.
/// </summary>
public sealed class RetrainJob(IObjectStore store, Action<string> log, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Runs the job at <paramref name="manifestKey"/>; its final status, or null when there was nothing to run.</summary>
    public async Task<JobStatus?> RunAsync(string manifestKey, CancellationToken cancellationToken)
    {
        if (BucketLayout.ParseJob(manifestKey) is not var (model, jobId))
        {
            log($"{manifestKey}: not a job manifest, ignored");
            return null;
        }
        var manifest = await store.ReadJsonAsync(manifestKey, CoreJsonContext.Web.JobManifest, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            log($"{manifestKey}: no such job");
            return null;
        }
        var claimed = await ClaimAsync(manifest.Value.Value, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return null;
        }
        var (running, etag) = claimed.Value;
        var statusKey = BucketLayout.JobStatus(model, jobId);
        JobStatus final;
        try
        {
            final = await new ChampionChallenge(store, log, _clock).RunAsync(manifest.Value.Value, running, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Bad data, a broken model file, a trainer fault: the job fails with the reason and is not retried
            // by redelivery (it is no longer queued). Our own faults name their type; bad input speaks for itself.
            var reason = e is ProblemException or InvalidDataException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            final = running.Next(JobStates.Failed, _clock.GetUtcNow(), reason);
        }
        if (await store.WriteJsonAsync(statusKey, final, CoreJsonContext.Web.JobStatus, WriteCondition.Unchanged(etag), cancellationToken).ConfigureAwait(false) is null)
        {
            // Only this worker writes a running job's status; if it changed, someone edited it by hand: keep theirs.
            log($"Job {jobId} of '{model}': its status changed while it ran; the outcome ({final.State}) was not written over it");
            return final;
        }
        log($"Job {jobId} of '{model}': {final.State}: {final.Reason}");
        return final;
    }

    /// <summary>Moves the job from queued to running; null when it is not queued or another worker took it.</summary>
    private async Task<(JobStatus Running, string ETag)?> ClaimAsync(JobManifest job, CancellationToken cancellationToken)
    {
        var statusKey = BucketLayout.JobStatus(job.Model, job.JobId);
        var current = await store.ReadJsonAsync(statusKey, CoreJsonContext.Web.JobStatus, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            log($"Job {job.JobId} has no status: queued now");
            var queued = new JobStatus { JobId = job.JobId, Model = job.Model, Source = job.Source, State = JobStates.Queued, UpdatedAt = _clock.GetUtcNow() };
            await store.WriteJsonAsync(statusKey, queued.Next(JobStates.Queued, queued.UpdatedAt), CoreJsonContext.Web.JobStatus, WriteCondition.IfNoneMatch, cancellationToken).ConfigureAwait(false);
            current = await store.ReadJsonAsync(statusKey, CoreJsonContext.Web.JobStatus, cancellationToken).ConfigureAwait(false);
        }
        var (status, etag) = current!.Value;
        if (status.State != JobStates.Queued)
        {
            log($"Job {job.JobId} of '{job.Model}' is already {status.State}: nothing to do");
            return null;
        }
        var running = status.Next(JobStates.Running, _clock.GetUtcNow(), "training") with { Worker = $"{Environment.MachineName}:{Environment.ProcessId}" };
        var claimed = await store.WriteJsonAsync(statusKey, running, CoreJsonContext.Web.JobStatus, WriteCondition.Unchanged(etag), cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            log($"Job {job.JobId} of '{job.Model}' was taken by another worker");
            return null;
        }
        log($"Job {job.JobId} of '{job.Model}': running ({job.Source}, {job.Rows:N0} rows)");
        return (running, claimed);
    }
}
