namespace MlFunctions.Core.Json;

/// <summary>The catalog as served at a host's root.</summary>
public sealed record CatalogDocument(CatalogEntry[] Functions);

/// <remarks><paramref name="Admin"/>: true for the registry's writes, which need the platform's admin credential; left out otherwise.</remarks>
public sealed record CatalogEntry(string Name, string Method, string Route, string Summary, bool? Admin = null);
