using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Store;

namespace MlFunctions.Core.Models.Registry;

/// <summary>GET /api/models: each model, its task and champion; <paramref name="Truncated"/> when the bucket held more than one listing reads.</summary>
public sealed record ModelList(ModelSummary[] Models, bool Truncated);

public sealed record ModelSummary(string Model, string? Task, string? Champion, DateTimeOffset? PromotedAt, string? PromotedBy);

/// <summary>
/// GET /api/models/{model}: its aliases (champion, previous and the user-named ones), its versions newest
/// first (at most the limit asked for; <paramref name="More"/> when there are older ones), and the
/// history of champion changes, newest first.
/// </summary>
/// <remarks><paramref name="Drift"/>: the newest drift report in short (an alert while columns have drifted); null before drift has run.</remarks>
public sealed record ModelDetails(string Model, string? Task, Dictionary<string, string> Aliases, VersionCard[] Versions, bool More, ChampionChange[] History, Monitoring.DriftSummary? Drift = null);

/// <summary>
/// One version and its lineage: how it was trained (or registered), on what, by which job from which
/// object, its metrics, the aliases that point at it, and each time it became champion (who, when, why).
/// </summary>
public sealed record VersionCard
{
    public required string Version { get; init; }

    /// <summary>bundle (trained here) or onnx.</summary>
    public required string Kind { get; init; }

    public string? Task { get; init; }

    public string? Trainer { get; init; }

    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public long? TrainRows { get; init; }

    public long? HoldoutRows { get; init; }

    /// <summary>The SHA-256 of the training data (bundles) or of the graph as registered (ONNX).</summary>
    public string? Sha256 { get; init; }

    /// <summary>The input columns and their kinds, as "name (kind)".</summary>
    public string[]? Columns { get; init; }

    public ModelOrigin? Origin { get; init; }

    public string[] Aliases { get; init; } = [];

    public ChampionChange[] Promotions { get; init; } = [];

    /// <summary>Why the version cannot be served (its bundle.json does not read); null when it is fine.</summary>
    public string? Problem { get; init; }

    /// <summary>A bundle's card: everything the registry lists about it, without its weights or trees.</summary>
    public static VersionCard From(ModelBundle bundle) => new()
    {
        Version = bundle.Version, Kind = "bundle", Task = bundle.Task, Trainer = bundle.Trainer, Metrics = bundle.Metrics,
        CreatedAt = bundle.Training.CreatedAt, TrainRows = bundle.Training.TrainRows, HoldoutRows = bundle.Training.HoldoutRows,
        Sha256 = bundle.Training.DataHash, Columns = [.. bundle.Features.Used.Select(c => $"{c.Name} ({c.Kind})")], Origin = bundle.Origin,
    };
}

/// <summary>POST /api/models/{model}/aliases/{alias} and /rollback: the version to point at.</summary>
public sealed record VersionRequest
{
    public string? Version { get; init; }

    /// <summary>Why, for the history (optional).</summary>
    public string? Reason { get; init; }
}

/// <summary>What an alias write did: the alias, the version it now names and the one it named before.</summary>
public sealed record AliasChange(string Model, string Alias, string Version, string? Was, DateTimeOffset At, string By);
