namespace MlFunctions.Core.Catalog;

/// <summary>A function started by objects created under <paramref name="Prefixes"/> (ending in <paramref name="Suffix"/> when given).</summary>
/// <param name="RunsIn">The executable that serves it: the cloud adapters (AOT) or the Trainer (JIT, ML.NET).</param>
public sealed record StorageTrigger(string Name, IReadOnlyList<string> Prefixes, string? Suffix, string RunsIn, string Summary);
