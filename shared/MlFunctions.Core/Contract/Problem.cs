namespace MlFunctions.Core.Contract;

/// <summary>
/// An RFC 9457 problem document. Extension members: <see cref="Parameter"/> names the offending
/// parameter or column, <see cref="Record"/> the index of the offending record, when there are such.
/// </summary>
public sealed record Problem(string Type, string Title, int Status, string Detail, string? Parameter = null, long? Record = null);
