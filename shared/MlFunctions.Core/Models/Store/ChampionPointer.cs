namespace MlFunctions.Core.Models.Store;

/// <summary>
/// models/&lt;model&gt;/champion.json: the version predict serves, and why it was promoted. Every change
/// is numbered (<paramref name="Sequence"/>) and names the version it replaced (<paramref name="Previous"/>,
/// the "previous" alias), and is recorded in the model's history (<see cref="ChampionChange"/>).
/// </summary>
/// <param name="By">Who made the change: a job, the Trainer's CLI, a registration, or an admin call.</param>
/// <param name="Task">The model's task, so that a list of models needs no bundle read.</param>
public sealed record ChampionPointer(
    string Version, string Metric, double Value, DateTimeOffset PromotedAt, string? Reason = null,
    long? Sequence = null, string? Previous = null, string? By = null, string? Task = null);

/// <summary>models/&lt;model&gt;/history/&lt;sequence&gt;.json: one change of champion, written once, never rewritten.</summary>
public sealed record ChampionChange(long Sequence, string Version, string? Previous, DateTimeOffset At, string By, string? Reason);

/// <summary>models/&lt;model&gt;/aliases/&lt;alias&gt;.json: a user-named pointer to a version (such as staging).</summary>
public sealed record AliasPointer(string Version, DateTimeOffset SetAt, string By);
