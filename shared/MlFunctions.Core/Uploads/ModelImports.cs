using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// imports/&lt;model&gt;/&lt;name&gt;.json (an ONNX manifest, its graph uploaded first as &lt;name&gt;.onnx, and a
/// preparation graph as &lt;name&gt;.prepare.onnx if the manifest names one) -> a registered version
/// (<see cref="OnnxRegistration"/>). The outcome is models/&lt;model&gt;/imports/&lt;name&gt;.status.json (outside the trigger's prefix, so it
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
