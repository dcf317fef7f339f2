using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Models.Store;

/// <summary>
/// Models in a bucket: models/&lt;model&gt;/&lt;version&gt;/{model.zip, metrics.json, bundle.json} and
/// models/&lt;model&gt;/champion.json. A version is complete once its bundle.json exists (written last),
/// and the champion pointer only changes by a conditional write, so predict never sees half a model.
/// </summary>
public sealed class ObjectModelStore(IObjectStore objects) : IModelStore
{
    public IObjectStore Objects { get; } = objects;

    public async Task<ChampionPointer?> ReadChampionAsync(string model, CancellationToken cancellationToken) =>
        (await ReadChampionWithETagAsync(model, cancellationToken).ConfigureAwait(false))?.Pointer;

    /// <summary>The champion pointer and the ETag a promotion must match, or null when there is no champion.</summary>
    public async Task<(ChampionPointer Pointer, string ETag)?> ReadChampionWithETagAsync(string model, CancellationToken cancellationToken) =>
        await Objects.ReadJsonAsync(BucketLayout.Champion(model), CoreJsonContext.Web.ChampionPointer, cancellationToken).ConfigureAwait(false);

    public async Task<ModelSpec?> ReadSpecAsync(string model, CancellationToken cancellationToken) =>
        (await Objects.ReadJsonAsync(BucketLayout.ModelSpec(model), CoreJsonContext.Web.ModelSpec, cancellationToken).ConfigureAwait(false))?.Value;

    public async Task<string?> ReadAliasAsync(string model, string alias, CancellationToken cancellationToken) => alias == "previous"
        ? (await ReadChampionAsync(model, cancellationToken).ConfigureAwait(false))?.Previous
        : (await Objects.ReadJsonAsync(BucketLayout.Alias(model, alias), CoreJsonContext.Web.AliasPointer, cancellationToken).ConfigureAwait(false))?.Value.Version;

    public async Task<ModelBundle?> ReadBundleAsync(string model, string version, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await Objects.ReadAsync(BucketLayout.Version(model, version, "bundle.json"), cancellationToken).ConfigureAwait(false);
            return stored is null ? null : ModelBundleJson.Read(stored.Content);
        }
        catch (Exception e) when (e is InvalidDataException or ObjectTooLargeException)
        {
            throw ProblemType.ModelUnusable.With($"Model '{model}' cannot be served: version '{version}' has a broken bundle.json ({e.Message}). Train or register it again, or pin a good ?version=.", "model");
        }
    }

    public const string ProfileFile = "profile.json";

    /// <summary>A version's card (kind, task, metrics, rows, lineage): what the registry lists.</summary>
    public const string CardFile = "card.json";

    /// <summary>A version's training profile, or null when it has none (ONNX models, bundles from before profiles).</summary>
    public async Task<Monitoring.TrainingProfile?> ReadProfileAsync(string model, string version, CancellationToken cancellationToken) =>
        (await Objects.ReadJsonAsync(BucketLayout.Version(model, version, ProfileFile), CoreJsonContext.Web.TrainingProfile, cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>The most an ONNX graph may hold: it is loaded whole.</summary>
    public const long MaxGraphBytes = 1L << 30;

    public async Task<StoredOnnx?> ReadOnnxAsync(string model, string version, IGraphRunner? runner, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await Objects.ReadAsync(BucketLayout.Version(model, version, OnnxFiles.Manifest), cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }
            var manifest = JsonSerializer.Deserialize(stored.Content, CoreJsonContext.Web.OnnxManifest) ?? throw new InvalidDataException("model.json is JSON null.");
            var form = manifest.Optimized is not { } optimized || runner is null ? GraphForm.Original
                : optimized.Machine == runner.Machine ? GraphForm.Native
                : optimized.Runtime == runner.Runtime ? GraphForm.Portable
                : GraphForm.Original;
            var file = form switch { GraphForm.Native => OnnxFiles.Native, GraphForm.Portable => OnnxFiles.Portable, _ => OnnxFiles.Graph };
            var graph = await Objects.ReadAsync(BucketLayout.Version(model, version, file), cancellationToken, MaxGraphBytes).ConfigureAwait(false)
                ?? throw new InvalidDataException($"model.json has no {file} beside it.");
            var prepare = manifest.Prepare is null ? null
                : await Objects.ReadAsync(BucketLayout.Version(model, version, OnnxFiles.Prepare), cancellationToken, MaxGraphBytes).ConfigureAwait(false)
                    ?? throw new InvalidDataException("model.json names a prepare graph and there is no prepare.onnx beside it.");
            // A native graph keeps its weights apart (unless it has none that large, or was registered before
            // they were kept apart): a file to map, not bytes to copy.
            var weights = form == GraphForm.Native && manifest.Optimized?.WeightsSha256 is not null
                ? await LocalObjectFile.OpenAsync(Objects, BucketLayout.Version(model, version, OnnxFiles.NativeWeights), MaxGraphBytes, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"model.json has no {OnnxFiles.NativeWeights} beside it.")
                : null;
            return new StoredOnnx(manifest, graph.Content, prepare?.Content, form, weights);
        }
        catch (TemporaryStorageException e)
        {
            throw ProblemType.ModelUnusable.With($"Model '{model}' cannot be served here: version '{version}' has its weights copied into temporary storage to be mapped, and {e.Message}. Give the function more temporary storage (Lambda: ephemeral storage), or pin a smaller ?version=.", "model");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ObjectTooLargeException)
        {
            throw ProblemType.ModelUnusable.With($"Model '{model}' cannot be served: version '{version}' is not a valid ONNX model ({e.Message}). Register it again, or pin a good ?version=.", "model");
        }
    }

    /// <summary>An ONNX version's manifest alone (no graph read), or null when the version is not an ONNX model.</summary>
    public async Task<OnnxManifest?> ReadOnnxManifestAsync(string model, string version, CancellationToken cancellationToken)
    {
        var stored = await Objects.ReadAsync(BucketLayout.Version(model, version, OnnxFiles.Manifest), cancellationToken).ConfigureAwait(false);
        try
        {
            return stored is null ? null : JsonSerializer.Deserialize(stored.Content, CoreJsonContext.Web.OnnxManifest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes an ONNX version: the graphs (and the optimised one, if any), then model.json last, so the version is visible only once whole.</summary>
    public async Task WriteOnnxAsync(OnnxManifest manifest, Stream graph, Stream? prepare, CancellationToken cancellationToken, OptimizedGraphs? optimized = null)
    {
        if (optimized is not null)
        {
            await Objects.WriteAsync(BucketLayout.Version(manifest.Name, manifest.Version, OnnxFiles.Portable), optimized.Portable, "application/octet-stream", WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            await Objects.WriteAsync(BucketLayout.Version(manifest.Name, manifest.Version, OnnxFiles.Native), optimized.Native, "application/octet-stream", WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            if (optimized.NativeWeights is { } weights)
            {
                await Objects.WriteAsync(BucketLayout.Version(manifest.Name, manifest.Version, OnnxFiles.NativeWeights), weights, "application/octet-stream", WriteCondition.Always, cancellationToken).ConfigureAwait(false);
            }
        }
        if (prepare is not null)
        {
            await Objects.WriteAsync(BucketLayout.Version(manifest.Name, manifest.Version, OnnxFiles.Prepare), prepare, "application/octet-stream", WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        }
        await Objects.WriteAsync(BucketLayout.Version(manifest.Name, manifest.Version, OnnxFiles.Graph), graph, "application/octet-stream", WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        await Objects.WriteJsonAsync(BucketLayout.Version(manifest.Name, manifest.Version, OnnxFiles.Manifest), manifest, CoreJsonContext.Web.OnnxManifest, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a version's files (and its training profile, when given); bundle.json goes last, so a version is never visible before it is whole.</summary>
    public async Task WriteVersionAsync(ModelBundle bundle, byte[] modelZip, CancellationToken cancellationToken, Monitoring.TrainingProfile? profile = null)
    {
        if (profile is not null)
        {
            await Objects.WriteJsonAsync(BucketLayout.Version(bundle.Name, bundle.Version, ProfileFile), profile, CoreJsonContext.Web.TrainingProfile, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        }
        await Objects.WriteAsync(BucketLayout.Version(bundle.Name, bundle.Version, "model.zip"), modelZip, "application/zip", WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        await Objects.WriteAsync(BucketLayout.Version(bundle.Name, bundle.Version, "metrics.json"),
            JsonSerializer.SerializeToUtf8Bytes(bundle.Metrics, CoreJsonContext.Web.DictionaryStringDouble), ObjectStoreJson.ContentType, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        // The registry lists versions from this small card rather than from bundles of megabytes.
        await Objects.WriteJsonAsync(BucketLayout.Version(bundle.Name, bundle.Version, CardFile), Registry.VersionCard.From(bundle), CoreJsonContext.Web.VersionCard, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        await Objects.WriteAsync(BucketLayout.Version(bundle.Name, bundle.Version, "bundle.json"), ModelBundleJson.Write(bundle), ObjectStoreJson.ContentType, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Points champion.json at a version if it is still as it was read (<paramref name="condition"/>);
    /// false, changing nothing, when another promotion got there first. The new pointer is numbered one
    /// after the one it replaces and names it as previous; the change is then appended to the history
    /// (a create-only object per number, so two writers can never both record one).
    /// </summary>
    public async Task<bool> TryPromoteAsync(string model, ChampionPointer champion, WriteCondition condition, CancellationToken cancellationToken) =>
        await PromoteAsync(model, champion, condition, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>As <see cref="TryPromoteAsync"/>, answering the pointer as written (numbered), or null when the condition failed.</summary>
    public async Task<ChampionPointer?> PromoteAsync(string model, ChampionPointer champion, WriteCondition condition, CancellationToken cancellationToken)
    {
        // A first champion needs nothing read: the create-only write alone decides (and a read racing the
        // other writer's write is one more thing that can go wrong on some stores).
        var current = condition.CreateOnly ? null : await ReadChampionWithETagAsync(model, cancellationToken).ConfigureAwait(false);
        if (condition.IfMatch is { } expected && current?.ETag != expected)
        {
            return null;
        }
        if (current is not null)
        {
            // The change being replaced is recorded first (create-only: usually there already), so a
            // writer that stopped after its pointer never leaves a gap once the next change lands.
            await TryRecordAsync(model, current.Value.Pointer, cancellationToken).ConfigureAwait(false);
        }
        var next = champion with
        {
            Sequence = (current?.Pointer.Sequence ?? 0) + 1,
            Previous = current?.Pointer.Version == champion.Version ? current?.Pointer.Previous : current?.Pointer.Version,
            By = champion.By ?? "unknown",
        };
        var written = await Objects.WriteJsonAsync(BucketLayout.Champion(model), next, CoreJsonContext.Web.ChampionPointer,
            current is null ? WriteCondition.IfNoneMatch : WriteCondition.Unchanged(current.Value.ETag), cancellationToken).ConfigureAwait(false);
        if (written is null)
        {
            return null;
        }
        // The pointer is the truth: a history write that fails now is made by the next change (above), and readers add it meanwhile.
        await TryRecordAsync(model, next, cancellationToken).ConfigureAwait(false);
        return next;
    }

    private async Task TryRecordAsync(string model, ChampionPointer pointer, CancellationToken cancellationToken)
    {
        try
        {
            await RecordAsync(model, pointer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Retried already by the store; the next change, or a reader, makes up for it.
        }
    }

    /// <summary>
    /// Appends a pointer's change to the history. Create-only and keyed by its number: written once. A
    /// process that stops between the pointer and this write leaves the change out; readers add the
    /// current pointer's change when it is missing (<see cref="Registry.ModelRegistry"/>).
    /// </summary>
    internal async Task RecordAsync(string model, ChampionPointer pointer, CancellationToken cancellationToken) =>
        await Objects.WriteJsonAsync(BucketLayout.History(model, pointer.Sequence ?? 0), ToChange(pointer), CoreJsonContext.Web.ChampionChange,
            WriteCondition.IfNoneMatch, cancellationToken).ConfigureAwait(false);

    internal static ChampionChange ToChange(ChampionPointer pointer) =>
        new(pointer.Sequence ?? 0, pointer.Version, pointer.Previous, pointer.PromotedAt, pointer.By ?? "unknown", pointer.Reason);
}
