using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;

namespace MlFunctions.Training.Retraining;

/// <summary>
/// Trains a challenger from a job, scores it and the champion (as it was when the job started) on the
/// same holdout rows, and promotes the challenger by a conditional write of champion.json only when it
/// is better by the spec's metric and margin. If another job promoted in the meantime, the write fails
/// and this job records that it lost.
/// </summary>
internal sealed class ChampionChallenge(IObjectStore store, Action<string> log, TimeProvider clock, OnnxTraining? onnx)
{
    private readonly ObjectModelStore _models = new(store);

    /// <summary>
    /// A written challenger: its version, holdout metrics and rows, how the champion is scored on the same
    /// rows, and how any version is scored on the spec's fixed evaluation set (tabular models only).
    /// </summary>
    private sealed record Challenger(string Version, Dictionary<string, double> Metrics, int HoldoutRows,
        Func<string, CancellationToken, Task<(Dictionary<string, double>? Metrics, string Problem)>> ScoreChampionAsync,
        Func<string, CancellationToken, Task<(Dictionary<string, double>? Metrics, string Problem)>>? ScoreOnEvalSetAsync = null);

    public async Task<JobStatus> RunAsync(JobManifest job, JobStatus running, CancellationToken cancellationToken)
    {
        if (job.Import is { } import)
        {
            return await ImportAsync(job, import, running, cancellationToken).ConfigureAwait(false);
        }
        var champion = await _models.ReadChampionWithETagAsync(job.Model, cancellationToken).ConfigureAwait(false);
        var result = job.Spec.Task == ModelTask.ImageClassification
            ? await TrainImagesAsync(job, cancellationToken).ConfigureAwait(false)
            : await TrainTabularAsync(job, cancellationToken).ConfigureAwait(false);
        log($"Wrote version {result.Version}");
        return await DecideAsync(job, running, result, champion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The gates, in order: both models scored (on the evaluation set when the spec names one, whose metric
    /// then decides; else on the holdout), the minimum, the absolute and relative margins over the champion,
    /// then promotion, or a wait for a person's approval.
    /// </summary>
    private async Task<JobStatus> DecideAsync(JobManifest job, JobStatus running, Challenger result, (ChampionPointer Pointer, string ETag)? champion, CancellationToken cancellationToken)
    {
        var spec = job.Spec;
        var (metric, higherIsBetter) = spec.PromotionMetric();
        var margin = spec.Margin ?? 0;
        var evaluation = spec.EvalSet is null ? null : await ScoreOnEvalSetAsync(result, result.Version, spec.EvalSet, cancellationToken).ConfigureAwait(false);
        var status = running with { Metric = metric, Margin = margin, Challenger = new ModelScore(result.Version, result.Metrics, evaluation) };
        var where = evaluation is null ? $"the same {result.HoldoutRows:N0} holdout rows" : $"the evaluation set {spec.EvalSet}";
        var value = (evaluation ?? result.Metrics)[metric];
        // Written so that a NaN metric (AUC on a one-class holdout) fails the gate rather than passing it.
        if (spec.Minimum is { } minimum && !(higherIsBetter ? value >= minimum : value <= minimum))
        {
            return status.Next(JobStates.NotPromoted, clock.GetUtcNow(),
                $"below the minimum: {metric} {F(value)} on {where}, the spec asks for {(higherIsBetter ? "at least" : "at most")} {F(minimum)}");
        }
        if (champion is null)
        {
            return await PromoteOrWaitAsync(job, status, value, null, $"first model of '{job.Model}': {metric} {F(value)}", cancellationToken).ConfigureAwait(false);
        }

        var (pointer, etag) = champion.Value;
        var scored = await result.ScoreChampionAsync(pointer.Version, cancellationToken).ConfigureAwait(false);
        if (scored.Metrics is null)
        {
            return status.Next(JobStates.NotPromoted, clock.GetUtcNow(), scored.Problem);
        }
        var championEvaluation = evaluation is null ? null : await ScoreOnEvalSetAsync(result, pointer.Version, spec.EvalSet!, cancellationToken).ConfigureAwait(false);
        status = status with { Champion = new ModelScore(pointer.Version, scored.Metrics, championEvaluation), ChampionSequence = pointer.Sequence ?? 0 };
        var old = (championEvaluation ?? scored.Metrics)[metric];
        var gain = higherIsBetter ? value - old : old - value;
        var relative = spec.RelativeMargin ?? 0;
        var better = gain > margin && (relative == 0 || gain >= relative * Math.Abs(old));
        var comparison = $"{metric} {F(value)} against the champion's {F(old)} on {where}, margin {F(margin)}{(relative > 0 ? $" and {F(relative * 100)} %" : "")}";
        if (evaluation is not null)
        {
            comparison += $" (on the holdout: {F(result.Metrics[metric])} against {F(scored.Metrics[metric])})";
        }
        return better
            ? await PromoteOrWaitAsync(job, status, value, etag, $"better: {comparison}", cancellationToken).ConfigureAwait(false)
            : status.Next(JobStates.NotPromoted, clock.GetUtcNow(), $"not better: {comparison}; {pointer.Version} stays champion");
    }

    private async Task<JobStatus> PromoteOrWaitAsync(JobManifest job, JobStatus status, double value, string? etag, string reason, CancellationToken cancellationToken)
    {
        if (job.Spec.Approval == ModelSpec.ManualApproval)
        {
            log($"Version {status.Challenger!.Version} passed the gates; awaiting approval");
            return status.Next(JobStates.AwaitingApproval, clock.GetUtcNow(),
                $"{reason}; awaiting approval (POST /api/jobs/{job.Model}/{job.JobId}/approve, or reject)");
        }
        return await PromoteAsync(job, status, value, etag is null ? WriteCondition.IfNoneMatch : WriteCondition.Unchanged(etag), $"{reason}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A version's metrics on the spec's evaluation set; a set that cannot be read or scored fails the job with the reason.</summary>
    private static async Task<Dictionary<string, double>> ScoreOnEvalSetAsync(Challenger result, string version, string key, CancellationToken cancellationToken)
    {
        var score = result.ScoreOnEvalSetAsync ?? throw ProblemType.InvalidSpec.With("Only tabular models are scored on an evaluation set.", "evalSet");
        var (metrics, problem) = await score(version, cancellationToken).ConfigureAwait(false);
        return metrics ?? throw ProblemType.InvalidSpec.With($"The evaluation set {key} cannot score {version}: {problem}", "evalSet");
    }

    private async Task<Challenger> TrainTabularAsync(JobManifest job, CancellationToken cancellationToken)
    {
        var result = await DownloadAsync(job, file => Task.FromResult(ModelTrainer.Train(file, job.Spec, job.Model, log, tag: job.JobId[..8])), cancellationToken).ConfigureAwait(false);
        var bundle = result.Bundle with { Origin = new ModelOrigin(job.JobId, job.Source, job.SourceETag) };
        await _models.WriteVersionAsync(bundle, result.ModelZip(), cancellationToken, result.Profile).ConfigureAwait(false);
        HoldoutSet? evalSet = null;
        return new Challenger(bundle.Version, bundle.Metrics, result.HoldoutLabels.Length,
            (version, ct) => ScoreChampionAsync(job.Model, version, result.Holdout, ct),
            async (version, ct) =>
            {
                evalSet ??= await LoadEvalSetAsync(job, bundle, ct).ConfigureAwait(false);
                return await ScoreChampionAsync(job.Model, version, evalSet, ct).ConfigureAwait(false);
            });
    }

    /// <summary>The spec's evaluation set, every row, read once for both models.</summary>
    private Task<HoldoutSet> LoadEvalSetAsync(JobManifest job, ModelBundle bundle, CancellationToken cancellationToken)
    {
        var key = job.Spec.EvalSet!;
        return WithLocalCopyAsync(job, key, () => ProblemType.InvalidSpec.With($"The spec's evaluation set {key} is not in the bucket.", "evalSet"), _ => { }, file =>
        {
            var table = TrainingTable.Load(file, new Core.Features.FeatureVectorizer(bundle.Features).Columns, bundle.LabelColumn);
            log($"Evaluation set {key}: {table.Labels.Count:N0} rows");
            return Task.FromResult(HoldoutSet.All(table));
        }, cancellationToken);
    }

    /// <summary>
    /// An image classifier: trained on the backbone's features, registered as an ONNX version (checked,
    /// run once, optimised; never promoted there), its champion scored by its head on the same holdout
    /// features when it is a head on the same backbone.
    /// </summary>
    private async Task<Challenger> TrainImagesAsync(JobManifest job, CancellationToken cancellationToken)
    {
        var training = onnx ?? throw ProblemType.ModelUnusable.With("This worker has no ONNX runtime: it cannot train image classifiers.", "task");
        var backbone = training.Backbone ?? throw ProblemType.ModelUnusable.With(
            "This Trainer has no image backbone (DnnImageModels/ResNet18Onnx beside it, from its build): it cannot train image classifiers.", "task");
        var result = await DownloadAsync(job, async file =>
        {
            if (!file.EndsWith(".csv", StringComparison.Ordinal))
            {
                return ImageClassifierTrainer.Train(file, job.Spec, job.Model, backbone, training.Limits, log, tag: job.JobId[..8]);
            }
            // A list of keys: the images fetched into a local zip of label folders first.
            var (zip, skipped) = await ImageKeyList.ToZipAsync(store, File.OpenRead(file), training.Limits, cancellationToken).ConfigureAwait(false);
            await using (zip)
            {
                return ImageClassifierTrainer.Train(zip, job.Spec, job.Model, backbone, training.Limits, log, tag: job.JobId[..8], skipped: skipped);
            }
        }, cancellationToken).ConfigureAwait(false);
        var manifest = await training.Registration.WriteVersionAsync(_models, result.Manifest,
            await File.ReadAllBytesAsync(backbone.GraphPath, cancellationToken).ConfigureAwait(false),
            await File.ReadAllBytesAsync(backbone.PreparePath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return new Challenger(manifest.Version, manifest.Metrics!, result.HoldoutLabels.Length, async (version, ct) =>
        {
            var champion = await _models.ReadOnnxManifestAsync(job.Model, version, ct).ConfigureAwait(false);
            return champion is { Head: { } head, Source.Origin: ImageBackbone.Origin } && head.Linear?.All(h => h.Weights.Length == result.HoldoutFeatures[0].Length) != false
                ? (ImageClassifierTrainer.Evaluate(champion, result.HoldoutFeatures, result.HoldoutLabels), "")
                : (null, $"the champion {version} is not a head on the same backbone, so it cannot be scored on these images; promote by hand if the new version should replace it");
        });
    }

    /// <summary>
    /// A user's ML.NET model.zip (the job's source) converted, checked against ML.NET on its sample rows and
    /// registered as an ONNX import is (the champion if there is none, or with "promote": true). A model
    /// that cannot be converted, or whose graph differs from ML.NET, is rejected with the reason, and nothing is written.
    /// </summary>
    private async Task<JobStatus> ImportAsync(JobManifest job, ImportJob import, JobStatus running, CancellationToken cancellationToken)
    {
        var work = onnx ?? throw ProblemType.ModelUnusable.With("This worker has no ONNX runtime: it cannot convert ML.NET models.", "model");
        var manifestBytes = (await store.ReadAsync(import.Manifest, cancellationToken, 1 << 20).ConfigureAwait(false)
            ?? throw ProblemType.TrainingDataChanged.With($"The import's manifest {import.Manifest} is gone.")).Content;
        var samples = Path.Combine(Path.GetTempPath(), $"mlf-{job.JobId}-{Guid.NewGuid():N}.samples.csv");
        try
        {
            if (import.Samples is not null)
            {
                await using var stored = await store.OpenReadAsync(import.Samples, cancellationToken).ConfigureAwait(false)
                    ?? throw ProblemType.TrainingDataChanged.With($"The import's sample rows {import.Samples} are gone.");
                await using var copy = File.Create(samples);
                await stored.Content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            var (manifest, graph) = await DownloadAsync(job, zip =>
            {
                var request = System.Text.Json.JsonSerializer.Deserialize(manifestBytes, MlNetImportJson.Default.MlNetImportManifest) ?? throw new InvalidDataException("the manifest is JSON null.");
                using var content = File.OpenRead(zip);
                return Task.FromResult(MlNetImport.Convert(content, import.Samples is null ? null : samples, request, job.Model, work.Runner, work.Limits, log));
            }, cancellationToken).ConfigureAwait(false);
            var (registered, champion) = await work.Registration.RegisterAsync(_models, manifest, graph, null, cancellationToken).ConfigureAwait(false);
            var score = new ModelScore(registered.Version, registered.Metrics ?? []);
            return champion
                ? running.Next(JobStates.Succeeded, clock.GetUtcNow(), $"converted, checked against ML.NET and registered as {registered.Version}, the champion") with { Challenger = score }
                : running.Next(JobStates.NotPromoted, clock.GetUtcNow(), $"converted, checked against ML.NET and registered as {registered.Version}; the champion stays (\"promote\": true makes it one)") with { Challenger = score };
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            return running.Next(JobStates.Rejected, clock.GetUtcNow(), e.Message);
        }
        finally
        {
            File.Delete(samples);
        }
    }

    /// <summary>Trains on a local copy of exactly what was validated: a changed object has a job of its own.</summary>
    private Task<T> DownloadAsync<T>(JobManifest job, Func<string, Task<T>> train, CancellationToken cancellationToken) =>
        WithLocalCopyAsync(job, job.Source, () => ProblemType.TrainingDataChanged.With($"The training data {job.Source} is gone."), data =>
        {
            if (job.SourceETag is { } validated && data.ETag != validated)
            {
                throw ProblemType.TrainingDataChanged.With($"The training data {job.Source} changed after it was validated; its new upload has a job of its own.");
            }
        }, train, cancellationToken);

    /// <summary>
    /// Runs <paramref name="use"/> on a local copy of an object (deleted after), which keeps the object's
    /// extension: it says how the file is read. <paramref name="check"/> sees the object before it is copied.
    /// </summary>
    private async Task<T> WithLocalCopyAsync<T>(JobManifest job, string key, Func<ProblemException> missing, Action<ObjectReader> check, Func<string, Task<T>> use, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mlf-{job.JobId}-{Guid.NewGuid():N}{Path.GetExtension(key).ToLowerInvariant()}");
        try
        {
            await using (var data = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false) ?? throw missing())
            {
                check(data);
                await using var copy = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await data.Content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            return await use(file).ConfigureAwait(false);
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
        var pointer = new ChampionPointer(version, status.Metric!, value, clock.GetUtcNow(), reason, By: $"job {job.JobId}", Task: job.Spec.Task);
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
