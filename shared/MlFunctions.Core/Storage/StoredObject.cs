namespace MlFunctions.Core.Storage;

/// <summary>An object read from a store: its bytes and the ETag (or generation) a conditional write compares.</summary>
public sealed record StoredObject(string Key, byte[] Content, string ETag);
