using System.Collections.Concurrent;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Onnx;

namespace MlFunctions.Core.Models.Store;

/// <summary>
/// Keeps loaded models in memory. A champion is re-checked at most once per <c>recheck</c> interval by
/// reading its small champion.json; only a changed version loads a new bundle, and requests keep the old
/// scorer until the new one is ready. Pinned versions never change, so they are loaded once.
/// </summary>
/// <param name="graphs">The ONNX runtime that loads ONNX models; without one, they are refused as unusable here.</param>
public sealed class ModelCache(IModelStore store, TimeSpan recheck, TimeProvider? clock = null, IGraphRunner? graphs = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Lazy<Task<ServedModel?>>> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Champion> _champions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Version, DateTimeOffset CheckedAt)> _aliases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ModelSpec? Spec, DateTimeOffset CheckedAt)> _specs = new(StringComparer.Ordinal);

    public IModelStore Store { get; } = store;

    /// <summary>The ONNX runtime models are loaded with, or null where the host has none.</summary>
    public IGraphRunner? Graphs { get; } = graphs;

    /// <summary>The champion's (or pinned version's) bundle, for the functions that score records; an ONNX model there is a 415.</summary>
    public async Task<BundleScorer> GetAsync(string model, string? version, CancellationToken cancellationToken) =>
        await GetModelAsync(model, version, cancellationToken).ConfigureAwait(false) as BundleScorer
            ?? throw ProblemType.UnsupportedMediaType.With($"Model '{model}' is an ONNX image model: send it an image (Content-Type image/*), not JSON records.", "model");

    /// <summary>The model's spec (what capture and drift follow), re-read at most once per recheck interval; null when it has none or it is not valid.</summary>
    public async Task<ModelSpec?> GetSpecAsync(string model, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (_specs.TryGetValue(model, out var known) && now - known.CheckedAt < recheck)
        {
            return known.Spec;
        }
        ModelSpec? spec;
        try
        {
            spec = (await Store.ReadSpecAsync(model, cancellationToken).ConfigureAwait(false))?.Validate();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or ProblemException)
        {
            spec = null; // a broken spec turns capture off; retraining reports it
        }
        _specs[model] = (spec, now);
        return spec;
    }

    /// <summary>
    /// The version <paramref name="alias"/> names (champion: the champion; previous; or a user-named one
    /// such as staging), re-read at most once per recheck interval as the champion is; 404 when unset.
    /// </summary>
    public async Task<ServedModel> GetAliasAsync(string model, string alias, CancellationToken cancellationToken)
    {
        ModelNames.Check(model, "model");
        Registry.ModelRegistry.CheckAlias(alias);
        if (alias == Registry.ModelRegistry.Champion)
        {
            return await GetModelAsync(model, null, cancellationToken).ConfigureAwait(false);
        }
        var key = $"{model}/{alias}";
        var now = _clock.GetUtcNow();
        if (!_aliases.TryGetValue(key, out var known) || now - known.CheckedAt >= recheck)
        {
            string? version;
            try
            {
                version = await Store.ReadAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
            {
                throw Unusable(model, $"its alias '{alias}' is not a valid pointer");
            }
            if (version is null || !ModelNames.IsValid(version))
            {
                _aliases.TryRemove(key, out _);
                throw ProblemType.ModelNotFound.With($"Model '{model}' has no alias '{alias}'.", "alias");
            }
            known = (version, now);
            _aliases[key] = known;
        }
        return await LoadAsync(model, known.Version, cancellationToken).ConfigureAwait(false)
            ?? throw Unusable(model, $"its alias '{alias}' names version '{known.Version}', which does not exist");
    }

    /// <summary>The champion of <paramref name="model"/>, or the pinned <paramref name="version"/>, of whatever kind; 404 when there is none.</summary>
    public async Task<ServedModel> GetModelAsync(string model, string? version, CancellationToken cancellationToken)
    {
        ModelNames.Check(model, "model");
        if (version is not null)
        {
            return await LoadAsync(model, ModelNames.Check(version, "version"), cancellationToken).ConfigureAwait(false)
                ?? throw ProblemType.ModelNotFound.With($"Model '{model}' has no version '{version}'.", "version");
        }
        var now = _clock.GetUtcNow();
        if (_champions.TryGetValue(model, out var known) && now - known.CheckedAt < recheck)
        {
            return known.Scorer;
        }
        var pointer = await ReadChampionAsync(model, cancellationToken).ConfigureAwait(false)
            ?? throw ProblemType.ModelNotFound.With($"There is no model '{model}' with a champion; train one first.", "model");
        if (pointer.Version is null || !ModelNames.IsValid(pointer.Version))
        {
            throw Unusable(model, "its champion.json names no valid version");
        }
        var scorer = known?.Scorer.Version == pointer.Version
            ? known.Scorer
            : await LoadAsync(model, pointer.Version, cancellationToken).ConfigureAwait(false)
                ?? throw Unusable(model, $"its champion.json names version '{pointer.Version}', which has no bundle");
        _champions[model] = new Champion(scorer, now);
        return scorer;
    }

    private async Task<ServedModel?> LoadAsync(string model, string version, CancellationToken cancellationToken)
    {
        var key = $"{model}/{version}";
        // Loaded on no one request's token: a client that goes away must not fail the load for the others.
        var load = _versions.GetOrAdd(key, _ => new Lazy<Task<ServedModel?>>(() => ReadAsync(model, version))).Value;
        try
        {
            var scorer = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (scorer is null)
            {
                _versions.TryRemove(key, out _); // not cached, so that a version written later is found
            }
            return scorer;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _versions.TryRemove(key, out _);
            throw;
        }
    }

    private async Task<ChampionPointer?> ReadChampionAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            return await Store.ReadChampionAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            throw Unusable(model, "its champion.json is not a valid champion pointer");
        }
    }

    private async Task<ServedModel?> ReadAsync(string model, string version)
    {
        var bundle = await Store.ReadBundleAsync(model, version, CancellationToken.None).ConfigureAwait(false);
        if (bundle is null)
        {
            return await ReadOnnxAsync(model, version).ConfigureAwait(false);
        }
        try
        {
            return new BundleScorer(bundle);
        }
        catch (Exception e) when (e is InvalidDataException or ProblemException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // A stored model is ours, not the client's: its faults are a 409 naming the model, never a 400 or a 500.
            throw Unusable(model, $"version '{version}' cannot be loaded: {e.Message}");
        }
    }

    private async Task<ServedModel?> ReadOnnxAsync(string model, string version)
    {
        using var stored = await Store.ReadOnnxAsync(model, version, Graphs, CancellationToken.None).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }
        if (Graphs is not { } graphs)
        {
            throw Unusable(model, $"version '{version}' is an ONNX model and this host has no ONNX runtime");
        }
        IGraph? graph = null, prepare = null;
        try
        {
            graph = graphs.Load(stored.Graph, stored.Form, stored.Weights?.Folder);
            prepare = stored.Prepare is { } bytes ? graphs.Load(bytes) : null;
            return new OnnxModel(stored.Manifest, graph, prepare);
        }
        catch (InvalidDataException e)
        {
            graph?.Dispose();
            prepare?.Dispose();
            throw Unusable(model, $"version '{version}' does not fit its manifest: {e.Message}");
        }
    }

    private static ProblemException Unusable(string model, string why) =>
        ProblemType.ModelUnusable.With($"Model '{model}' cannot be served: {why}. Train or register it again, or pin a good ?version=.", "model");

    private sealed record Champion(ServedModel Scorer, DateTimeOffset CheckedAt);
}
