using System.IO.Compression;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// training/&lt;model&gt;/&lt;file&gt;.csv (.jsonl, .ndjson, .parquet; or .zip of label folders for an image classifier) -> a validated job: jobs/&lt;model&gt;/&lt;job-id&gt;.status.json (queued)
/// and then the manifest jobs/&lt;model&gt;/&lt;job-id&gt;.json, both by create-only writes. The job id comes
/// from bucket, key and ETag, so a redelivered event finds its job and creates nothing; an event that
/// died between the two writes finishes the second. A rejected file gets a status and no manifest.
/// </summary>
internal sealed class TrainingUploads(FunctionLimits limits, TimeProvider clock)
{
    /// <param name="format">The data file's format; null for a zip of labelled images.</param>
    public async Task<UploadOutcome> HandleAsync(IObjectStore store, ObjectCreated upload, string model, TableFormat? format, CancellationToken cancellationToken)
    {
        var key = upload.Key;
        await using var stored = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return UploadOutcome.Ignored(key, "the object is gone");
        }
        var jobId = JobIds.For(upload.Bucket, key, upload.Version ?? stored.ETag);
        var jobKey = BucketLayout.Job(model, jobId);
        var statusKey = BucketLayout.JobStatus(model, jobId);
        if (await store.ReadAsync(jobKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new UploadOutcome(key, "training", UploadResults.Duplicate, $"job {jobId} exists", []);
        }

        var (spec, check) = await CheckAsync(store, stored, format, model, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var status = new JobStatus { JobId = jobId, Model = model, Source = key, State = JobStates.Queued, UpdatedAt = now, Report = check.Report };
        if (check.Problem is not null)
        {
            var rejected = status with { State = JobStates.Rejected, Reason = check.Problem, History = [new StateChange(JobStates.Rejected, now)] };
            var wrote = await store.WriteJsonAsync(statusKey, rejected, CoreJsonContext.Web.JobStatus, WriteCondition.IfNoneMatch, cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "training", wrote is null ? UploadResults.Duplicate : UploadResults.Rejected, check.Problem, wrote is null ? [] : [statusKey]);
        }

        var manifest = new JobManifest(jobId, model, upload.Bucket, key, upload.Version ?? stored.ETag, check.Rows, spec!, now, stored.ETag);
        return !await JobQueue.CreateAsync(store, manifest, status, cancellationToken).ConfigureAwait(false)
            ? new UploadOutcome(key, "training", UploadResults.Duplicate, $"job {jobId} exists", [])
            : new UploadOutcome(key, "training", UploadResults.Queued, $"job {jobId}: {check.Rows:N0} rows", [statusKey, jobKey]);
    }

    /// <summary>The model spec (models/&lt;model&gt;/spec.json) and the training file checked against it.</summary>
    private async Task<(ModelSpec? Spec, TrainingDataCheck.Result Check)> CheckAsync(IObjectStore store, ObjectReader data, TableFormat? format, string model, CancellationToken cancellationToken)
    {
        var specKey = BucketLayout.ModelSpec(model);
        try
        {
            UploadGuards.CheckSize(data.Key, data.Length, limits.MaxObjectBytes, "MLF_MAX_OBJECT_BYTES");
            var spec = await store.ReadAsync(specKey, cancellationToken).ConfigureAwait(false) is { } stored
                ? ModelSpecJson.Read(stored.Content).Validate()
                : null;
            // The check streams the file (a sync reader on a pool thread: the store's stream may be a network one).
            if (spec is null)
            {
                return (null, new TrainingDataCheck.Result(0, "", $"Model '{model}' has no spec: upload one to {specKey} (task, label, features) before its training data."));
            }
            var images = spec.Task == ModelTask.ImageClassification;
            if (images ? format is not (null or TableFormat.Csv) : format is null)
            {
                return (null, new TrainingDataCheck.Result(0, "", images
                    ? $"Model '{model}' is an image classifier: it trains from a .zip of label folders (<label>/<image>), or a .csv of object keys and labels, not a {format} file."
                    : $"A .zip trains image classifiers; model '{model}' is {spec.Task}: give it a {TableFiles.Extensions} file."));
            }
            if (images && format == TableFormat.Csv)
            {
                var (zip, skipped) = await ImageKeyList.ToZipAsync(store, data.Content, limits, cancellationToken).ConfigureAwait(false);
                await using (zip)
                {
                    return (spec, await Task.Run(() => CheckImages(zip, skipped), cancellationToken).ConfigureAwait(false));
                }
            }
            return (spec, await Task.Run(() => images ? CheckImages(TempFiles.Spool(data.Content, "zip"), []) : TrainingDataCheck.Check(data.Content, format!.Value, data.Key, spec), cancellationToken).ConfigureAwait(false));
        }
        catch (ProblemException e)
        {
            return (null, new TrainingDataCheck.Result(0, "", e.Message));
        }
        catch (ObjectTooLargeException e)
        {
            return (null, new TrainingDataCheck.Result(0, "", $"{specKey} is not a model spec: {e.Message}"));
        }
    }

    /// <summary>A zip's images (a local copy: its directory is at its end), checked as the Trainer will read them.</summary>
    private TrainingDataCheck.Result CheckImages(FileStream file, IReadOnlyList<string> skipped)
    {
        using var owned = file;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            return new TrainingDataCheck.Result(0, "", $"The zip cannot be read: {e.Message}");
        }
        using (zip)
        {
            var set = LabelledImages.Scan(zip, limits, skipped);
            return new TrainingDataCheck.Result(set.Images.Count, set.Report, set.Problem);
        }
    }
}
