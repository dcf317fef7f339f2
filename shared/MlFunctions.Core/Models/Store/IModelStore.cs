using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models.Store;

/// <summary>
/// Where models live: models/&lt;model&gt;/&lt;version&gt;/bundle.json and models/&lt;model&gt;/champion.json,
/// in a local folder or a cloud bucket.
/// </summary>
public interface IModelStore
{
    /// <summary>The champion pointer, or null when the model has none (or does not exist).</summary>
    Task<ChampionPointer?> ReadChampionAsync(string model, CancellationToken cancellationToken);

    /// <summary>models/&lt;model&gt;/spec.json, the spec retraining (and capture) follow, or null when there is none.</summary>
    Task<ModelSpec?> ReadSpecAsync(string model, CancellationToken cancellationToken);

    /// <summary>The version a user-named alias (or previous) names, or null when it is not set.</summary>
    Task<string?> ReadAliasAsync(string model, string alias, CancellationToken cancellationToken);

    /// <summary>A version's bundle, or null when there is no such version.</summary>
    Task<ModelBundle?> ReadBundleAsync(string model, string version, CancellationToken cancellationToken);

    /// <summary>
    /// A version's ONNX manifest, graph and preparation graph (if it has one), or null when the version
    /// is not an ONNX model. The graph is the best this <paramref name="runner"/> can load: the one
    /// optimised for its machine, else the portable one for its runtime, else model.onnx as registered.
    /// </summary>
    Task<StoredOnnx?> ReadOnnxAsync(string model, string version, Onnx.IGraphRunner? runner, CancellationToken cancellationToken);
}

/// <summary>
/// An ONNX version as stored, which form of its graph <see cref="Graph"/> is, and a native graph's
/// weights as a file of this machine (a temporary copy from a remote bucket is deleted when this is
/// disposed, once the graph is loaded).
/// </summary>
public sealed class StoredOnnx(Onnx.OnnxManifest manifest, byte[] graph, byte[]? prepare, Onnx.GraphForm form, Storage.LocalObjectFile? weights = null) : IDisposable
{
    public Onnx.OnnxManifest Manifest { get; } = manifest;

    public byte[] Graph { get; } = graph;

    public byte[]? Prepare { get; } = prepare;

    public Onnx.GraphForm Form { get; } = form;

    public Storage.LocalObjectFile? Weights { get; } = weights;

    public void Dispose() => Weights?.Dispose();
}
