using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// imports/&lt;model&gt;/&lt;name&gt;.json (an ONNX manifest, its graph uploaded first as &lt;name&gt;.onnx, and a
/// preparation graph as &lt;name&gt;.prepare.onnx if the manifest names one) -> a registered version
/// (<see cref="OnnxRegistration"/>). With &lt;name&gt;.zip beside it instead (a user's ML.NET model, and
/// optionally its sample rows as &lt;name&gt;.samples.csv), the manifest is an ML.NET import's and the conversion, which
/// needs ML.NET, is a job for the Trainer (jobs/&lt;model&gt;/&lt;job-id&gt;.job.json, created once). The outcome is models/&lt;model&gt;/imports/&lt;name&gt;.status.json (outside the trigger's prefix, so it
/// does not start on-upload again), saying what does not match when it is rejected.
/// </summary>
internal sealed class ModelImports(FunctionLimits limits, ModelCache models, TimeProvider clock)
{
    public async Task<UploadOutcome> HandleAsync(IObjectStore store, string key, string model, string name, CancellationToken cancellationToken)
    {
        var statusKey = $"models/{model}/imports/{name}.status.json";
        var registry = new ObjectModelStore(store);
        try
        {
            if (await store.OpenReadAsync($"imports/{model}/{name}.zip", cancellationToken).ConfigureAwait(false) is { } zip)
            {
                await using (zip)
                {
                    return await QueueConversionAsync(store, key, model, name, zip, statusKey, cancellationToken).ConfigureAwait(false);
                }
            }
            var manifest = await ReadManifestAsync(store, key, cancellationToken).ConfigureAwait(false);
            var graph = await ReadGraphAsync(store, $"imports/{model}/{name}.onnx", cancellationToken).ConfigureAwait(false);
            var prepare = manifest.Prepare is null ? null : await ReadGraphAsync(store, $"imports/{model}/{name}.prepare.onnx", cancellationToken).ConfigureAwait(false);
            var registration = new OnnxRegistration(limits, models.Graphs ?? throw new InvalidDataException("This host has no ONNX runtime to check the graph with."));
            (manifest, var champion) = await registration.RegisterAsync(registry, manifest with { Name = model, Source = new OnnxSource("", manifest.Source?.Origin ?? key) }, graph, prepare, cancellationToken).ConfigureAwait(false);
            var detail = $"version {manifest.Version} registered" + (champion ? " and made the champion" : $"; the champion stays (\"promote\": true makes it one)");
            await WriteStatusAsync(store, statusKey, new ImportStatus(key, "registered", clock.GetUtcNow(), manifest.Version, champion, detail), cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "import", UploadResults.Processed, detail, [BucketLayout.Version(model, manifest.Version, OnnxFiles.Manifest), statusKey]);
        }
        catch (Exception e) when (e is ProblemException or InvalidDataException or JsonException or ObjectTooLargeException)
        {
            var reason = e.Message;
            await WriteStatusAsync(store, statusKey, new ImportStatus(key, "rejected", clock.GetUtcNow(), null, false, reason), cancellationToken).ConfigureAwait(false);
            return new UploadOutcome(key, "import", UploadResults.Rejected, reason, [statusKey]);
        }
    }

    /// <summary>An ML.NET import: its manifest's task checked, its sample rows there, and a job for the Trainer, idempotent as training jobs are.</summary>
    private async Task<UploadOutcome> QueueConversionAsync(IObjectStore store, string key, string model, string name, ObjectReader zip, string statusKey, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(key, cancellationToken, 1 << 20).ConfigureAwait(false) ?? throw new InvalidDataException($"{key} is gone.");
        string task;
        try
        {
            using var document = JsonDocument.Parse(stored.Content);
            task = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("task", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()! : throw new InvalidDataException("An ML.NET import's manifest needs \"task\": multiclass, binary or regression.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The manifest is not JSON: {Contract.JsonErrors.Describe(e)}", e);
        }
        if (!ModelTask.All.Contains(task))
        {
            throw new InvalidDataException($"An ML.NET import's task is one of: {string.Join(", ", ModelTask.All)}; not '{task}'.");
        }
        // Sample rows are optional: without them the Trainer draws rows from the model's input schema.
        var samples = $"imports/{model}/{name}.samples.csv";
        var given = await ExistsAsync(store, samples, cancellationToken).ConfigureAwait(false) ? samples : null;
        var source = $"imports/{model}/{name}.zip";
        var jobId = JobIds.For(store.Bucket, source, zip.ETag);
        var now = clock.GetUtcNow();
        var status = new JobStatus { JobId = jobId, Model = model, Source = source, State = JobStates.Queued, UpdatedAt = now };
        var job = new JobManifest(jobId, model, store.Bucket, source, zip.ETag, 0, new ModelSpec { Task = task }, now, zip.ETag, new ImportJob(key, given));
        var created = await JobQueue.CreateAsync(store, job, status, cancellationToken).ConfigureAwait(false);
        var detail = $"an ML.NET model: job {jobId} converts it in the Trainer";
        await WriteStatusAsync(store, statusKey, new ImportStatus(key, "queued", now, null, false, detail), cancellationToken).ConfigureAwait(false);
        return !created
            ? new UploadOutcome(key, "import", UploadResults.Duplicate, $"job {jobId} exists", [])
            : new UploadOutcome(key, "import", UploadResults.Queued, detail, [BucketLayout.JobStatus(model, jobId), BucketLayout.Job(model, jobId), statusKey]);
    }

    private static async Task<bool> ExistsAsync(IObjectStore store, string key, CancellationToken cancellationToken)
    {
        await using var reader = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        return reader is not null;
    }

    private static async Task<OnnxManifest> ReadManifestAsync(IObjectStore store, string key, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(key, cancellationToken, 1 << 20).ConfigureAwait(false) ?? throw new InvalidDataException($"{key} is gone.");
        try
        {
            return JsonSerializer.Deserialize(stored.Content, CoreJsonContext.Web.OnnxManifest) ?? throw new InvalidDataException("The manifest is JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The manifest is not valid here ({e.Path}): {Contract.JsonErrors.Describe(e)}", e);
        }
    }

    private static async Task<byte[]> ReadGraphAsync(IObjectStore store, string key, CancellationToken cancellationToken) =>
        (await store.ReadAsync(key, cancellationToken, ObjectModelStore.MaxGraphBytes).ConfigureAwait(false)
            ?? throw new InvalidDataException($"There is no {key}: upload the graph before its manifest.")).Content;

    private static Task WriteStatusAsync(IObjectStore store, string key, ImportStatus status, CancellationToken cancellationToken) =>
        store.WriteJsonAsync(key, status, CoreJsonContext.Web.ImportStatus, WriteCondition.Always, cancellationToken);
}

/// <summary>models/&lt;model&gt;/imports/&lt;name&gt;.status.json: what became of an import, and why.</summary>
public sealed record ImportStatus(string Source, string State, DateTimeOffset UpdatedAt, string? Version, bool Champion, string Reason);
