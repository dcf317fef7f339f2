namespace MlFunctions.Core.Storage;

/// <summary>A small object read whole (a JSON document, an image): its bytes and the ETag (or generation) a conditional write compares.</summary>
public sealed record StoredObject(string Key, byte[] Content, string ETag);
