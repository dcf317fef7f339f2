using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Monitoring;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// The drift job and what follows it, however it is started (on demand, on a schedule, or by new capture
/// files, at most once per the spec's drift.minutes): the report is computed, and when columns have
/// drifted and the spec says retrain, a retraining job is queued on the model's latest training data
/// (validated as an upload is, with its own job id); then the report is kept.
/// </summary>
public sealed class DriftJobs(FunctionLimits limits, IObjectStore bucket, TimeProvider? clock = null)
{
    public const int DefaultMinutes = 60;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ObjectModelStore _models = new(bucket);
    private readonly DriftMonitor _monitor = new(new ObjectModelStore(bucket), clock);

    public async Task<DriftReport> RunAsync(string model, int? days, CancellationToken cancellationToken)
    {
        var spec = await _models.ReadSpecAsync(model, cancellationToken).ConfigureAwait(false);
        var report = await _monitor.RunAsync(model, spec, days, cancellationToken).ConfigureAwait(false);
        if (report.Drifted.Length > 0 && spec?.Drift?.Retrain == true)
        {
            report = report with { Retraining = await RetrainAsync(model, Window(report.At, spec), cancellationToken).ConfigureAwait(false) };
        }
        await _monitor.WriteAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>A new capture file: the drift job, unless it ran within the spec's drift.minutes (so a burst of files starts it once).</summary>
    internal async Task<UploadOutcome> OnCaptureAsync(string key, string model, CancellationToken cancellationToken)
    {
        var spec = await _models.ReadSpecAsync(model, cancellationToken).ConfigureAwait(false);
        var every = TimeSpan.FromMinutes(spec?.Drift?.Minutes ?? DefaultMinutes);
        if (await DriftMonitor.NewestAsync(bucket, model, cancellationToken).ConfigureAwait(false) is { } newest && _clock.GetUtcNow() - newest.Report.At < every)
        {
            return UploadOutcome.Ignored(key, $"drift ran at {newest.Report.At:u}; it runs again on new traffic after {newest.Report.At + every:u}");
        }
        // Many instances' files arrive at once: one create-only claim per window lets one of them run it.
        var window = Window(_clock.GetUtcNow(), spec);
        if (await bucket.WriteAsync($"{DriftMonitor.ReportPrefix(model)}runs/{window}.claim", "{}"u8.ToArray(), "application/json", WriteCondition.IfNoneMatch, cancellationToken).ConfigureAwait(false) is null)
        {
            return UploadOutcome.Ignored(key, $"drift of this window ({window}) was started by another capture file");
        }
        try
        {
            var report = await RunAsync(model, null, cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "drift", UploadResults.Processed, report.Summary(), []);
        }
        catch (ProblemException e)
        {
            return UploadOutcome.Ignored(key, e.Message);
        }
    }

    /// <summary>Every model whose spec captures traffic, drift run for each (the scheduled job).</summary>
    public async Task<IReadOnlyList<DriftReport>> RunScheduledAsync(CancellationToken cancellationToken)
    {
        var reports = new List<DriftReport>();
        foreach (var model in (await new Models.Registry.ModelRegistry(_models).ListAsync(cancellationToken).ConfigureAwait(false)).Models)
        {
            if ((await _models.ReadSpecAsync(model.Model, cancellationToken).ConfigureAwait(false))?.Capture?.Rate > 0)
            {
                try
                {
                    reports.Add(await RunAsync(model.Model, null, cancellationToken).ConfigureAwait(false));
                }
                catch (ProblemException)
                {
                    // A model without a profile (ONNX) is skipped; the rest still run.
                }
            }
        }
        return reports;
    }

    /// <summary>The drift.minutes window <paramref name="at"/> falls in, as a name (its start).</summary>
    private static string Window(DateTimeOffset at, Models.ModelSpec? spec)
    {
        var every = TimeSpan.FromMinutes(spec?.Drift?.Minutes ?? DefaultMinutes).Ticks;
        return new DateTime(at.UtcTicks / every * every, DateTimeKind.Utc).ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Queues retraining on the newest training file (by name) under training/&lt;model&gt;/, once per window however often drift runs; says what happened.</summary>
    private async Task<string> RetrainAsync(string model, string window, CancellationToken cancellationToken)
    {
        string? latest = null;
        await foreach (var key in bucket.ListAsync($"{BucketLayout.Training}{model}/", cancellationToken).ConfigureAwait(false))
        {
            latest = key.Split('/').Length == 3 && TableFiles.FormatOf(key) is not null ? key : latest;
        }
        if (latest is null)
        {
            return $"no training data under {BucketLayout.Training}{model}/ to retrain on";
        }
        await using var stored = await bucket.OpenReadAsync(latest, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return $"{latest} is gone";
        }
        // Its own job: the data's ETag and the window, so the same data retrains at most once a window.
        var upload = new ObjectCreated(bucket.Bucket, latest, stored.Length ?? 0, $"{stored.ETag}:drift:{window}");
        var outcome = await new TrainingUploads(limits, _clock).HandleAsync(bucket, upload, model, TableFiles.FormatOf(latest), cancellationToken).ConfigureAwait(false);
        return $"retraining on {latest}: {outcome.Result}, {outcome.Detail}";
    }
}
