namespace MlFunctions.Core.Contract;

/// <summary>An RFC 9457 problem document; <see cref="Parameter"/> names the offending input when there is one.</summary>
public sealed record Problem(string Type, string Title, int Status, string Detail, string? Parameter = null);
