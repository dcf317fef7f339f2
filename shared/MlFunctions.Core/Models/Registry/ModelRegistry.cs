using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Models.Registry;

/// <summary>
/// The model registry over a bucket: models and their versions with lineage, aliases (champion,
/// previous, and user-named ones such as staging), the append-only history of champion changes, and the
/// writes an admin makes (set an alias, promote, roll back). Every pointer changes only by a conditional
/// write of what was read, so of two racing writers one wins and the other is told, and a pointer always
/// names a version that exists.
/// </summary>
public sealed partial class ModelRegistry(ObjectModelStore models, TimeProvider? clock = null)
{
    public const string Champion = "champion";
    public const string Previous = "previous";

    /// <summary>The most keys one listing reads (the rest is reported as truncated): no request may buy an unbounded scan.</summary>
    public const int MaxKeysScanned = 200_000;
    public const int MaxModels = 1_000;
    public const int MaxHistory = 100;
    public const int MaxVersions = 100;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public ObjectModelStore Models { get; } = models;

    private IObjectStore Objects => Models.Objects;

    /// <summary>Every model in the bucket with its task and champion, by name.</summary>
    public async Task<ModelList> ListAsync(CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var scanned = 0;
        var truncated = false;
        await foreach (var key in Objects.ListAsync("models/", cancellationToken).ConfigureAwait(false))
        {
            if (++scanned > MaxKeysScanned || names.Count > MaxModels)
            {
                truncated = true;
                break;
            }
            if (key.Split('/') is [_, var name, _, ..] && ModelNames.IsValid(name))
            {
                names.Add(name);
            }
        }
        var summaries = new List<ModelSummary>();
        foreach (var name in names.Take(MaxModels))
        {
            var champion = await ReadChampionAsync(name, cancellationToken).ConfigureAwait(false);
            var task = champion?.Task ?? (champion is null ? null : (await CardAsync(name, champion.Version, cancellationToken).ConfigureAwait(false))?.Task);
            summaries.Add(new ModelSummary(name, task, champion?.Version, champion?.PromotedAt, champion?.By));
        }
        return new ModelList([.. summaries], truncated);
    }

    /// <summary>A model's aliases, newest <paramref name="limit"/> versions with lineage, and history; 404 when it has no version at all.</summary>
    public async Task<ModelDetails> DescribeAsync(string model, int limit, CancellationToken cancellationToken)
    {
        ModelNames.Check(model, "model");
        var versions = await VersionNamesAsync(model, cancellationToken).ConfigureAwait(false);
        var champion = await ReadChampionAsync(model, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0 && champion is null)
        {
            throw ProblemType.ModelNotFound.With($"There is no model '{model}'.", "model");
        }
        var aliases = await AliasesAsync(model, champion, cancellationToken).ConfigureAwait(false);
        var history = await HistoryAsync(model, champion, cancellationToken).ConfigureAwait(false);
        var cards = new List<VersionCard>();
        foreach (var version in versions.Take(limit))
        {
            if (await CardAsync(model, version, cancellationToken).ConfigureAwait(false) is { } card)
            {
                cards.Add(card with
                {
                    Aliases = [.. aliases.Where(a => a.Value == version).Select(a => a.Key)],
                    Promotions = [.. history.Where(h => h.Version == version)],
                });
            }
        }
        // Names order versions to the second; their creation times order those of the same second.
        cards = [.. cards.OrderByDescending(c => c.CreatedAt ?? DateTimeOffset.MinValue).ThenByDescending(c => c.Version, StringComparer.Ordinal)];
        var task = champion?.Task ?? cards.FirstOrDefault(c => c.Version == champion?.Version)?.Task ?? cards.FirstOrDefault()?.Task;
        var drift = await Monitoring.DriftMonitor.NewestAsync(Objects, model, cancellationToken).ConfigureAwait(false) is { } newest
            ? new Monitoring.DriftSummary(newest.Report.At, newest.Report.Version, newest.Report.Records, newest.Report.Drifted, newest.Report.Drifted.Length > 0, newest.Key, newest.Report.Retraining)
            : null;
        return new ModelDetails(model, task, aliases, [.. cards], versions.Count > limit, history, drift);
    }

    /// <summary>The version an alias names, or null when the alias is not set.</summary>
    public async Task<string?> ResolveAsync(string model, string alias, CancellationToken cancellationToken)
    {
        CheckAlias(alias);
        return alias == Champion
            ? (await ReadChampionAsync(model, cancellationToken).ConfigureAwait(false))?.Version
            : await Models.ReadAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/> (which must exist). champion promotes
    /// it (recorded in the history); previous is kept by the registry and cannot be set. A write that
    /// loses a race is a 409 naming what the alias now is.
    /// </summary>
    public async Task<AliasChange> SetAliasAsync(string model, string alias, string version, string by, string? reason, CancellationToken cancellationToken)
    {
        CheckAlias(alias);
        if (alias == Previous)
        {
            throw Parameters.Invalid("alias", "'previous' is kept by the registry (the champion before the current one); roll back to make it champion.");
        }
        var card = await RequireVersionAsync(model, version, cancellationToken).ConfigureAwait(false);
        if (alias == Champion)
        {
            var change = await PromoteAsync(model, card, by, reason ?? "set by hand", cancellationToken).ConfigureAwait(false);
            return new AliasChange(model, alias, change.Version, change.Previous, change.At, by);
        }
        var current = await ReadAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var written = await Objects.WriteJsonAsync(BucketLayout.Alias(model, alias), new AliasPointer(version, now, by), CoreJsonContext.Web.AliasPointer,
            current is null ? WriteCondition.IfNoneMatch : WriteCondition.Unchanged(current.Value.ETag), cancellationToken).ConfigureAwait(false);
        if (written is null)
        {
            var now2 = await ResolveAsync(model, alias, cancellationToken).ConfigureAwait(false);
            throw ProblemType.Conflict.With($"Alias '{alias}' of '{model}' changed while this call set it (it now names {now2 ?? "nothing"}); read it again and retry.", "alias");
        }
        return new AliasChange(model, alias, version, current?.Pointer.Version, now, by);
    }

    /// <summary>Makes the champion before this one (or <paramref name="version"/>) champion again.</summary>
    public async Task<ChampionChange> RollbackAsync(string model, string? version, string by, string? reason, CancellationToken cancellationToken)
    {
        var champion = await ReadChampionAsync(model, cancellationToken).ConfigureAwait(false)
            ?? throw ProblemType.ModelNotFound.With($"Model '{model}' has no champion to roll back.", "model");
        var target = version ?? champion.Previous
            ?? throw ProblemType.Conflict.With($"Model '{model}' has had one champion ({champion.Version}): there is no previous version to roll back to; name one.", "version");
        var card = await RequireVersionAsync(model, target, cancellationToken).ConfigureAwait(false);
        // Against the champion read above: a promotion in between makes this a 409, not a silent undo of it.
        return await PromoteAsync(model, card, by, reason ?? $"rolled back from {champion.Version}", cancellationToken, expected: champion).ConfigureAwait(false);
    }

    /// <summary>Makes <paramref name="card"/>'s version champion by a conditional write of the pointer as read; 409 when another change got there first.</summary>
    public async Task<ChampionChange> PromoteAsync(string model, VersionCard card, string by, string reason, CancellationToken cancellationToken, ChampionPointer? expected = null)
    {
        var current = await Models.ReadChampionWithETagAsync(model, cancellationToken).ConfigureAwait(false);
        if (expected is not null && (current?.Pointer.Sequence ?? 0) != (expected.Sequence ?? 0))
        {
            throw ProblemType.Conflict.With($"The champion of '{model}' changed (it is now {current?.Pointer.Version ?? "none"}).", "version");
        }
        var metric = card.Metrics?.Keys.FirstOrDefault() ?? "none";
        var pointer = new ChampionPointer(card.Version, metric, card.Metrics?.GetValueOrDefault(metric) ?? 0, _clock.GetUtcNow(), reason, By: by, Task: card.Task);
        var condition = current is null ? WriteCondition.IfNoneMatch : WriteCondition.Unchanged(current.Value.ETag);
        var written = await Models.PromoteAsync(model, pointer, condition, cancellationToken).ConfigureAwait(false);
        if (written is null)
        {
            var now = await ReadChampionAsync(model, cancellationToken).ConfigureAwait(false);
            throw ProblemType.Conflict.With($"The champion of '{model}' changed while this call set it (it is now {now?.Version ?? "none"}); read it again and retry.", "version");
        }
        return ObjectModelStore.ToChange(written);
    }

    /// <summary>A version's card (kind, task, metrics, lineage), or null when there is no such version.</summary>
    public async Task<VersionCard?> CardAsync(string model, string version, CancellationToken cancellationToken)
    {
        // The small card written beside a bundle (a bundle can be megabytes); the bundle itself for one written before cards.
        if (await ReadAsync(BucketLayout.Version(model, version, ObjectModelStore.CardFile), CoreJsonContext.Web.VersionCard, cancellationToken).ConfigureAwait(false) is { } written
            && written.Value.Version == version && await ExistsAsync(BucketLayout.Version(model, version, "bundle.json"), cancellationToken).ConfigureAwait(false))
        {
            return written.Value;
        }
        ModelBundle? bundle;
        try
        {
            bundle = await Models.ReadBundleAsync(model, version, cancellationToken).ConfigureAwait(false);
        }
        catch (ProblemException e)
        {
            return new VersionCard { Version = version, Kind = "bundle", Problem = e.Message };
        }
        if (bundle is not null)
        {
            return VersionCard.From(bundle);
        }
        var manifest = await Models.ReadOnnxManifestAsync(model, version, cancellationToken).ConfigureAwait(false);
        return manifest is null ? null : new VersionCard
        {
            Version = version, Kind = "onnx", Task = manifest.Task, Trainer = manifest.Head is null ? "onnx" : "onnx with a trained head", Metrics = manifest.Metrics,
            Sha256 = manifest.Source?.Sha256, Columns = manifest.Columns ?? manifest.Features?.Used.Select(c => $"{c.Name} ({c.Kind})").ToArray(),
            Origin = manifest.Source?.Origin is { } origin ? new ModelOrigin(Source: origin) : null,
        };
    }

    /// <summary>The history of champion changes, newest first (at most <see cref="MaxHistory"/>), with the current pointer's change when a writer stopped before recording it.</summary>
    public async Task<ChampionChange[]> HistoryAsync(string model, ChampionPointer? champion, CancellationToken cancellationToken)
    {
        var keys = new Queue<string>();
        await foreach (var key in Objects.ListAsync(BucketLayout.HistoryPrefix(model), cancellationToken).ConfigureAwait(false))
        {
            keys.Enqueue(key);
            if (keys.Count > MaxHistory)
            {
                keys.Dequeue();
            }
        }
        var changes = new List<ChampionChange>();
        foreach (var key in keys)
        {
            if (await ReadAsync(key, CoreJsonContext.Web.ChampionChange, cancellationToken).ConfigureAwait(false) is { } change)
            {
                changes.Add(change.Value);
            }
        }
        if (champion is not null && !changes.Any(c => c.Sequence == (champion.Sequence ?? 0)))
        {
            changes.Add(ObjectModelStore.ToChange(champion));
        }
        return [.. changes.OrderByDescending(c => c.Sequence).Take(MaxHistory)];
    }

    /// <summary>Whether the object is there (opened, not read): a card counts only beside its bundle, which is written last.</summary>
    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        await using var reader = await Objects.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        return reader is not null;
    }

    private async Task<VersionCard> RequireVersionAsync(string model, string version, CancellationToken cancellationToken)
    {
        ModelNames.Check(model, "model");
        ModelNames.Check(version, "version");
        var card = await CardAsync(model, version, cancellationToken).ConfigureAwait(false)
            ?? throw ProblemType.ModelNotFound.With($"Model '{model}' has no version '{version}'.", "version");
        return card.Problem is null ? card
            : throw ProblemType.ModelUnusable.With($"Version '{version}' of '{model}' cannot be served, so nothing may point at it: {card.Problem}", "version");
    }

    /// <summary>Version names, newest first (versions are named from their creation time, so by name).</summary>
    private async Task<List<string>> VersionNamesAsync(string model, CancellationToken cancellationToken)
    {
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        var scanned = 0;
        await foreach (var key in Objects.ListAsync($"models/{model}/", cancellationToken).ConfigureAwait(false))
        {
            if (++scanned > MaxKeysScanned)
            {
                break;
            }
            if (key.Split('/') is [_, _, var version, "bundle.json" or Onnx.OnnxFiles.Manifest] && !BucketLayout.ModelFolders.Contains(version))
            {
                versions.Add(version);
            }
        }
        return [.. versions.Reverse()];
    }

    private async Task<Dictionary<string, string>> AliasesAsync(string model, ChampionPointer? champion, CancellationToken cancellationToken)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        if (champion is not null)
        {
            aliases[Champion] = champion.Version;
            if (champion.Previous is { } previous)
            {
                aliases[Previous] = previous;
            }
        }
        var prefix = BucketLayout.AliasPrefix(model);
        await foreach (var key in Objects.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var name = key.Length > prefix.Length + ".json".Length && key.EndsWith(".json", StringComparison.Ordinal) ? key[prefix.Length..^".json".Length] : "";
            if (aliases.Count < MaxVersions && IsAlias(name) && await ReadAsync(key, CoreJsonContext.Web.AliasPointer, cancellationToken).ConfigureAwait(false) is { } alias)
            {
                aliases[name] = alias.Value.Version;
            }
        }
        return aliases;
    }

    private async Task<ChampionPointer?> ReadChampionAsync(string model, CancellationToken cancellationToken) =>
        (await ReadAsync(BucketLayout.Champion(model), CoreJsonContext.Web.ChampionPointer, cancellationToken).ConfigureAwait(false))?.Value;

    private Task<(AliasPointer Pointer, string ETag)?> ReadAliasAsync(string model, string alias, CancellationToken cancellationToken) =>
        Objects.ReadJsonAsync(BucketLayout.Alias(model, alias), CoreJsonContext.Web.AliasPointer, cancellationToken);

    /// <summary>A registry document, or null when it is missing or unreadable (one bad file must not hide the rest).</summary>
    private async Task<(T Value, string ETag)?> ReadAsync<T>(string key, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await Objects.ReadJsonAsync(key, type, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ObjectTooLargeException)
        {
            return null;
        }
    }

    public static bool IsAlias(string alias) => AliasPattern().IsMatch(alias);

    public static string CheckAlias(string alias) => IsAlias(alias) ? alias
        : throw Parameters.Invalid("alias", $"'{alias}' is not an alias name: 1 to 32 lower-case letters, digits or '-', starting with a letter.");

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z][a-z0-9-]{0,31}\z")]
    private static partial System.Text.RegularExpressions.Regex AliasPattern();
}
