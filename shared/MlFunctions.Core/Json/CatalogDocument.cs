namespace MlFunctions.Core.Json;

/// <summary>The catalog as served at a host's root.</summary>
public sealed record CatalogDocument(CatalogEntry[] Functions);

public sealed record CatalogEntry(string Name, string Method, string Route, string Summary);
