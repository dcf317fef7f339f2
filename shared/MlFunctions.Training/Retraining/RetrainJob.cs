using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;

namespace MlFunctions.Training.Retraining;

/// <summary>
/// The retrain job: jobs/&lt;model&gt;/&lt;job-id&gt;.json in; a new model version, a champion decision and a
/// status document out. A job is claimed by a conditional write of its status (queued -> running), so
/// a redelivered event, or a second worker, finds it taken and does nothing. While it runs, the
/// worker renews its status every heartbeat; a running job whose status has not been renewed for
/// longer than <see cref="JobTimings.StaleAfter"/> is stale (its worker was killed or timed out), and
/// the next event for it marks it failed. A failed job can be run again with <see cref="RerunAsync"/>.
/// </summary>
/// <param name="onnx">What jobs that end in ONNX models (image classifiers, ML.NET imports) run with; a worker without it fails them, saying so.</param>
public sealed class RetrainJob(IObjectStore store, Action<string> log, TimeProvider? clock = null, JobTimings? timings = null, OnnxTraining? onnx = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly JobTimings _timings = timings ?? JobTimings.Default;

    /// <summary>Runs the job at <paramref name="manifestKey"/>; its final status, or null when there was nothing to run.</summary>
    public async Task<JobStatus?> RunAsync(string manifestKey, CancellationToken cancellationToken)
    {
        if (await ReadManifestAsync(manifestKey, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return null;
        }
        var claimed = await ClaimAsync(job, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return null;
        }
        return await RunClaimedAsync(job, claimed.Value.Running, claimed.Value.ETag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a failed job again (a conditional write, so two reruns do not both run it) and runs it.</summary>
    public async Task<JobStatus?> RerunAsync(string manifestKey, CancellationToken cancellationToken)
    {
        if (await ReadManifestAsync(manifestKey, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return null;
        }
        var statusKey = BucketLayout.JobStatus(job.Model, job.JobId);
        var current = await store.ReadJsonAsync(statusKey, CoreJsonContext.Web.JobStatus, cancellationToken).ConfigureAwait(false);
        if (current is { } found && found.Value.State == JobStates.Failed)
        {
            var queued = found.Value.Next(JobStates.Queued, _clock.GetUtcNow(), "queued again") with { Worker = null };
            if (await store.WriteJsonAsync(statusKey, queued, CoreJsonContext.Web.JobStatus, WriteCondition.Unchanged(found.ETag), cancellationToken).ConfigureAwait(false) is null)
            {
                log($"Job {job.JobId} changed while it was being queued again: nothing to do");
                return null;
            }
            log($"Job {job.JobId} of '{job.Model}' queued again");
        }
        return await RunAsync(manifestKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobManifest?> ReadManifestAsync(string manifestKey, CancellationToken cancellationToken)
    {
        if (BucketLayout.ParseJob(manifestKey) is null)
        {
            log($"{manifestKey}: not a job manifest, ignored");
            return null;
        }
        try
        {
            var manifest = await store.ReadJsonAsync(manifestKey, CoreJsonContext.Web.JobManifest, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                log($"{manifestKey}: no such job");
            }
            return manifest?.Value;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or ObjectTooLargeException)
        {
            // Not ours, or damaged: the job fails with a status that says so (a redelivery would not help).
            var (model, jobId) = BucketLayout.ParseJob(manifestKey)!.Value;
            log($"{manifestKey}: not a valid job manifest ({e.Message}); the job fails");
            var now = _clock.GetUtcNow();
            var failed = new JobStatus
            {
                JobId = jobId, Model = model, Source = manifestKey, State = JobStates.Failed, UpdatedAt = now,
                Reason = $"{manifestKey} is not a valid job manifest; drop the training data again to make a new job.",
                Problem = ProblemType.InvalidJson.Uri, History = [new StateChange(JobStates.Failed, now)],
            };
            await store.WriteJsonAsync(BucketLayout.JobStatus(model, jobId), failed, CoreJsonContext.Web.JobStatus, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    private async Task<JobStatus> RunClaimedAsync(JobManifest job, JobStatus running, string etag, CancellationToken cancellationToken)
    {
        var statusKey = BucketLayout.JobStatus(job.Model, job.JobId);
        JobStatus final;
        using var stopBeating = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The latest progress line (images featurised, seconds left) goes into the status with each heartbeat.
        string? progress = null;
        var heartbeat = HeartbeatAsync(statusKey, running, etag, () => progress, stopBeating.Token);
        try
        {
            final = await new ChampionChallenge(store, line => log(progress = line), _clock, onnx).RunAsync(job, running, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            // The bucket stopped answering (after its retries): not the job's fault. The job goes back to
            // queued where the bucket allows, and the failure goes to the platform, which delivers the event again.
            await stopBeating.CancelAsync().ConfigureAwait(false);
            etag = await heartbeat.ConfigureAwait(false);
            log($"Job {job.JobId} of '{job.Model}': the bucket failed ({e.Message}); queued again for the event's redelivery");
            var queued = running.Next(JobStates.Queued, _clock.GetUtcNow(), "the bucket stopped answering while the job ran; it runs again when its event is delivered again") with { Worker = null };
            await TryWriteAsync(statusKey, queued, etag).ConfigureAwait(false);
            throw;
        }
        catch (ProblemException e)
        {
            // Bad data or a spec that does not fit: the reason is ours and safe to show, and redelivery will not help.
            final = running.Next(JobStates.Failed, _clock.GetUtcNow(), e.Message) with { Problem = e.Type.Uri };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of ours (or of ML.NET): its text goes to the log only, never to /api/jobs.
            log($"Job {job.JobId} of '{job.Model}' failed: {e}");
            final = running.Next(JobStates.Failed, _clock.GetUtcNow(), "The trainer failed unexpectedly; the details are in its log. Run the job again once the cause is fixed.")
                with { Problem = ProblemType.Internal.Uri };
        }
        finally
        {
            await stopBeating.CancelAsync().ConfigureAwait(false);
        }
        etag = await heartbeat.ConfigureAwait(false);
        if (await store.WriteJsonAsync(statusKey, final, CoreJsonContext.Web.JobStatus, WriteCondition.Unchanged(etag), cancellationToken).ConfigureAwait(false) is null)
        {
            // Only this worker writes a running job's status; if it changed, someone edited it by hand: keep theirs.
            log($"Job {job.JobId} of '{job.Model}': its status changed while it ran; the outcome ({final.State}) was not written over it");
            return final;
        }
        log($"Job {job.JobId} of '{job.Model}': {final.State}: {final.Reason}");
        return final;
    }

    /// <summary>A best-effort status write, for when the bucket has just failed: a second failure is logged, not thrown.</summary>
    private async Task TryWriteAsync(string statusKey, JobStatus status, string etag)
    {
        try
        {
            await store.WriteJsonAsync(statusKey, status, CoreJsonContext.Web.JobStatus, WriteCondition.Unchanged(etag), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            log($"Job {status.JobId}: its status could not be written either ({e.Message}); it shows running until it goes stale");
        }
    }

    /// <summary>Renews the running status every heartbeat until stopped; the status's last ETag.</summary>
    private async Task<string> HeartbeatAsync(string statusKey, JobStatus running, string etag, Func<string?> progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_timings.Heartbeat, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    var renewed = await store.WriteJsonAsync(statusKey, running with { UpdatedAt = _clock.GetUtcNow(), Progress = progress() }, CoreJsonContext.Web.JobStatus,
                        WriteCondition.Unchanged(etag), CancellationToken.None).ConfigureAwait(false);
                    etag = renewed ?? etag;
                }
                catch (ObjectStoreException e)
                {
                    // A beat missed is not a job lost: the next one tries again (stale only after several).
                    log($"{statusKey}: heartbeat not written ({e.Message})");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the job is done.
        }
        return etag;
    }

    /// <summary>
    /// Moves the job from queued to running; null when it is not queued or another worker took it. A
    /// running job that stopped renewing its status is marked failed (stale) on the way.
    /// </summary>
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
        var now = _clock.GetUtcNow();
        if (status.State == JobStates.Running && now - status.UpdatedAt > _timings.StaleAfter)
        {
            var stale = status.Next(JobStates.Failed, now,
                $"stale: {status.Worker ?? "its worker"} last renewed the status at {status.UpdatedAt:u} and stopped (killed or timed out); no model was promoted; run it again to retry");
            await store.WriteJsonAsync(statusKey, stale, CoreJsonContext.Web.JobStatus, WriteCondition.Unchanged(etag), cancellationToken).ConfigureAwait(false);
            log($"Job {job.JobId} of '{job.Model}' was stale: marked failed");
            return null;
        }
        if (status.State != JobStates.Queued)
        {
            log($"Job {job.JobId} of '{job.Model}' is already {status.State}: nothing to do");
            return null;
        }
        var running = status.Next(JobStates.Running, now, "training") with { Worker = $"{Environment.MachineName}:{Environment.ProcessId}" };
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
