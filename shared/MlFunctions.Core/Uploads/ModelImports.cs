using System.Security.Cryptography;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// imports/&lt;model&gt;/&lt;name&gt;.json (an ONNX manifest, its graph uploaded first as &lt;name&gt;.onnx, and a
/// preparation graph as &lt;name&gt;.prepare.onnx if the manifest names one) -> a registered version:
/// the graph is loaded, the manifest checked against it (names, element types, shapes, labels), run
/// once on a sample image, and written as models/&lt;model&gt;/&lt;version&gt;/ with model.json last. It becomes
/// the champion if there is none, or if the manifest asks ("promote": true), by a conditional write.
/// The outcome is models/&lt;model&gt;/imports/&lt;name&gt;.status.json (outside the trigger's prefix, so it
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
            var manifest = await ReadManifestAsync(store, key, cancellationToken).ConfigureAwait(false);
            var graph = await ReadGraphAsync(store, $"imports/{model}/{name}.onnx", cancellationToken).ConfigureAwait(false);
            var prepare = manifest.Prepare is null ? null : await ReadGraphAsync(store, $"imports/{model}/{name}.prepare.onnx", cancellationToken).ConfigureAwait(false);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(graph));
            manifest = manifest with
            {
                Name = model,
                Version = string.IsNullOrEmpty(manifest.Version) ? "v-" + sha256[..12] : ModelNames.Check(manifest.Version, "version"),
                Source = new OnnxSource(sha256, manifest.Source?.Origin ?? key),
            };
            Check(manifest, graph, prepare);
            await registry.WriteOnnxAsync(manifest, new MemoryStream(graph, writable: false), prepare is null ? null : new MemoryStream(prepare, writable: false), cancellationToken).ConfigureAwait(false);
            var champion = await PromoteAsync(registry, manifest, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Loads the graphs, checks the manifest against them and runs them once on a sample image.</summary>
    private void Check(OnnxManifest manifest, byte[] graph, byte[]? prepare)
    {
        var runner = models.Graphs ?? throw new InvalidDataException("This host has no ONNX runtime to check the graph with.");
        using var model = new OnnxModel(manifest, runner.Load(graph), prepare is null ? null : runner.Load(prepare));
        var (prediction, embedding) = model.Predict(Imaging.SampleImage.Png, null, null, limits);
        if (embedding is not null && embedding.Any(v => !float.IsFinite(v)))
        {
            throw new InvalidDataException("The graph gives values that are not finite numbers for a sample image.");
        }
        if (prediction is not null && !double.IsFinite(prediction.Probability))
        {
            throw new InvalidDataException("The graph gives a probability that is not a finite number for a sample image.");
        }
    }

    private static async Task<bool> PromoteAsync(ObjectModelStore registry, OnnxManifest manifest, CancellationToken cancellationToken)
    {
        var current = await registry.ReadChampionWithETagAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        if (current is not null && manifest.Promote != true)
        {
            return false;
        }
        var pointer = new ChampionPointer(manifest.Version, "none", 0, DateTimeOffset.UtcNow, current is null ? "imported: the model's first version" : "imported with \"promote\": true");
        var condition = current is null ? WriteCondition.IfNoneMatch : WriteCondition.Unchanged(current.Value.ETag);
        return await registry.TryPromoteAsync(manifest.Name, pointer, condition, cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteStatusAsync(IObjectStore store, string key, ImportStatus status, CancellationToken cancellationToken) =>
        store.WriteJsonAsync(key, status, CoreJsonContext.Web.ImportStatus, WriteCondition.Always, cancellationToken);
}

/// <summary>models/&lt;model&gt;/imports/&lt;name&gt;.status.json: what became of an import, and why.</summary>
public sealed record ImportStatus(string Source, string State, DateTimeOffset UpdatedAt, string? Version, bool Champion, string Reason);
