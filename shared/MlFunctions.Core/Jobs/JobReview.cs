using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Jobs;

/// <summary>
/// A person's decision on a job awaiting approval. Approve promotes its challenger only while the
/// champion is the one the job was compared against (else it is refused, and the job says why);
/// reject keeps the version and leaves the champion. The job's status is claimed by a conditional
/// write first, so two decisions on one job cannot both happen.
/// </summary>
public sealed class JobReview(ModelRegistry registry, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<JobStatus> DecideAsync(string model, string jobId, bool approve, string by, string? reason, CancellationToken cancellationToken)
    {
        ModelNames.Check(model, "model");
        if (jobId.Length is 0 or > 64 || !jobId.All(char.IsAsciiLetterOrDigit))
        {
            throw Parameters.Invalid("job", $"'{jobId}' is not a job id.");
        }
        var bucket = registry.Models.Objects;
        var key = BucketLayout.JobStatus(model, jobId);
        var (status, etag) = await bucket.ReadJsonAsync(key, CoreJsonContext.Web.JobStatus, cancellationToken).ConfigureAwait(false)
            ?? throw ProblemType.ModelNotFound.With($"Model '{model}' has no job '{jobId}'.", "job");
        if (status.State != JobStates.AwaitingApproval || status.Challenger is null)
        {
            throw ProblemType.Conflict.With($"Job {jobId} is {status.State}, not awaiting approval.", "job");
        }
        var why = reason is null ? "" : $" ({reason})";
        if (!approve)
        {
            return await ClaimAsync(key, status.Next(JobStates.NotPromoted, _clock.GetUtcNow(), $"rejected by {by}{why}; {status.Challenger.Version} is kept as a version"), etag, cancellationToken).ConfigureAwait(false);
        }
        var champion = (await registry.Models.ReadChampionWithETagAsync(model, cancellationToken).ConfigureAwait(false))?.Pointer;
        if (status.Champion?.Version != champion?.Version || (champion is not null && (champion.Sequence ?? 0) != (status.ChampionSequence ?? 0)))
        {
            var stale = $"approval refused: the champion changed since this job compared against it (then {status.Champion?.Version ?? "none"}, now {champion?.Version ?? "none"}); retrain to compare against the new one";
            await ClaimAsync(key, status.Next(JobStates.NotPromoted, _clock.GetUtcNow(), stale), etag, cancellationToken).ConfigureAwait(false);
            throw ProblemType.Conflict.With($"Job {jobId}: {stale}.", "job");
        }
        var card = await registry.CardAsync(model, status.Challenger.Version, cancellationToken).ConfigureAwait(false);
        if (card is null || card.Problem is not null)
        {
            throw ProblemType.ModelUnusable.With($"Job {jobId}'s version {status.Challenger.Version} is {(card is null ? "gone" : "unreadable: " + card.Problem)}; it cannot be promoted.", "job");
        }
        var approved = await ClaimAsync(key, status.Next(JobStates.Succeeded, _clock.GetUtcNow(), $"approved by {by}{why} and promoted; {status.Reason}"), etag, cancellationToken).ConfigureAwait(false);
        try
        {
            await registry.PromoteAsync(model, card, by, $"approved: job {jobId}{why}", cancellationToken, expected: champion ?? new ChampionPointer("", "", 0, default, Sequence: 0)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The job was claimed as approved; whatever stopped the promotion, it must not say promoted.
            await bucket.WriteJsonAsync(key, approved.Next(JobStates.NotPromoted, _clock.GetUtcNow(), $"approved by {by}, but the promotion failed: {e.Message}"),
                CoreJsonContext.Web.JobStatus, WriteCondition.Always, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return approved;
    }

    private async Task<JobStatus> ClaimAsync(string key, JobStatus next, string etag, CancellationToken cancellationToken) =>
        await registry.Models.Objects.WriteJsonAsync(key, next, CoreJsonContext.Web.JobStatus, WriteCondition.Unchanged(etag), cancellationToken).ConfigureAwait(false) is not null
            ? next
            : throw ProblemType.Conflict.With($"Job {next.JobId} changed while this call decided on it (another approval or rejection); read it again.", "job");
}
