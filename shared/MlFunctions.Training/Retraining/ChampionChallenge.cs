using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Training.Retraining;

/// <summary>
/// Trains a challenger from a job, scores it and the champion (as it was when the job started) on the
/// same holdout rows, and promotes the challenger by a conditional write of champion.json only when it
/// is better by the spec's metric and margin. If another job promoted in the meantime, the write fails
/// and this job records that it lost.
/// </summary>
internal sealed class ChampionChallenge(IObjectStore store, Action<string> log, TimeProvider clock)
{
    private readonly ObjectModelStore _models = new(store);

    public async Task<JobStatus> RunAsync(JobManifest job, JobStatus running, CancellationToken cancellationToken)
    {
        var champion = await _models.ReadChampionWithETagAsync(job.Model, cancellationToken).ConfigureAwait(false);
        var result = await TrainAsync(job, cancellationToken).ConfigureAwait(false);
        var bundle = result.Bundle;
        await _models.WriteVersionAsync(bundle, result.ModelZip(), cancellationToken).ConfigureAwait(false);
        log($"Wrote version {bundle.Version}");

        var (metric, higherIsBetter) = job.Spec.PromotionMetric();
        var margin = job.Spec.Margin ?? 0;
        var challenger = new ModelScore(bundle.Version, bundle.Metrics);
        var status = running with { Metric = metric, Margin = margin, Challenger = challenger };
        var value = bundle.Metrics[metric];
        if (champion is null)
        {
            return await PromoteAsync(job, status, value, WriteCondition.IfNoneMatch, $"first model of '{job.Model}': {metric} {F(value)}", cancellationToken).ConfigureAwait(false);
        }

        var (pointer, etag) = champion.Value;
        var scored = await ScoreChampionAsync(job.Model, pointer.Version, result.Holdout, cancellationToken).ConfigureAwait(false);
        if (scored.Metrics is null)
        {
            return status.Next(JobStates.NotPromoted, clock.GetUtcNow(), scored.Problem);
        }
        status = status with { Champion = new ModelScore(pointer.Version, scored.Metrics) };
        var old = scored.Metrics[metric];
        var better = higherIsBetter ? value > old + margin : value < old - margin;
        var comparison = $"{metric} {F(value)} against the champion's {F(old)} on the same {result.HoldoutLabels.Length:N0} holdout rows, margin {F(margin)}";
        return better
            ? await PromoteAsync(job, status, value, WriteCondition.Unchanged(etag), $"better: {comparison}", cancellationToken).ConfigureAwait(false)
            : status.Next(JobStates.NotPromoted, clock.GetUtcNow(), $"not better: {comparison}; {pointer.Version} stays champion");
    }

    private async Task<TrainingResult> TrainAsync(JobManifest job, CancellationToken cancellationToken)
    {
        // The copy keeps the object's extension: it says how the file is read.
        var file = Path.Combine(Path.GetTempPath(), $"mlf-{job.JobId}-{Guid.NewGuid():N}{Path.GetExtension(job.Source).ToLowerInvariant()}");
        try
        {
            await using (var data = await store.OpenReadAsync(job.Source, cancellationToken).ConfigureAwait(false)
                ?? throw ProblemType.TrainingDataChanged.With($"The training data {job.Source} is gone."))
            {
                // Trained on exactly what was validated: a changed object has a job of its own.
                if (job.SourceETag is { } validated && data.ETag != validated)
                {
                    throw ProblemType.TrainingDataChanged.With($"The training data {job.Source} changed after it was validated; its new upload has a job of its own.");
                }
                await using var copy = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await data.Content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            return ModelTrainer.Train(file, job.Spec, job.Model, log, tag: job.JobId[..8]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The champion's metrics on the challenger's holdout rows, or why it cannot be scored on them.</summary>
    private async Task<(Dictionary<string, double>? Metrics, string Problem)> ScoreChampionAsync(string model, string version, HoldoutSet holdout, CancellationToken cancellationToken)
    {
        var bundle = await _models.ReadBundleAsync(model, version, cancellationToken).ConfigureAwait(false);
        var zip = await store.ReadAsync(BucketLayout.Version(model, version, "model.zip"), cancellationToken, maxBytes: 1L << 30).ConfigureAwait(false);
        if (bundle is null || zip is null)
        {
            return (null, $"the champion {version} has no bundle.json or model.zip, so it cannot be compared; promote by hand if the new version should replace it");
        }
        try
        {
            return (ChampionEvaluation.Evaluate(bundle, zip.Content, holdout), "");
        }
        catch (ProblemException e)
        {
            return (null, $"the champion {version} cannot score the new data ({e.Message}); promote by hand if the new version should replace it");
        }
    }

    private async Task<JobStatus> PromoteAsync(JobManifest job, JobStatus status, double value, WriteCondition condition, string reason, CancellationToken cancellationToken)
    {
        var version = status.Challenger!.Version;
        var pointer = new ChampionPointer(version, status.Metric!, value, clock.GetUtcNow(), $"job {job.JobId}: {reason}");
        if (await _models.TryPromoteAsync(job.Model, pointer, condition, cancellationToken).ConfigureAwait(false))
        {
            log($"Champion of '{job.Model}' is now {version}");
            return status.Next(JobStates.Succeeded, clock.GetUtcNow(), $"promoted, {reason}");
        }
        var now = await _models.ReadChampionAsync(job.Model, cancellationToken).ConfigureAwait(false);
        return status.Next(JobStates.NotPromoted, clock.GetUtcNow(),
            $"lost the race: champion.json changed while this job ran (now {now?.Version ?? "none"}); {version} is kept as a version, {reason}");
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
