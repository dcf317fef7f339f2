namespace MlFunctions.Core.Models.Store;

/// <summary>models/&lt;model&gt;/champion.json: the version predict serves, and why it was promoted.</summary>
public sealed record ChampionPointer(string Version, string Metric, double Value, DateTimeOffset PromotedAt, string? Reason = null);
