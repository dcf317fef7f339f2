namespace MlFunctions.Core.Storage;

/// <summary>
/// An object-created event, whichever cloud sent it. <paramref name="Version"/> is what makes this
/// upload of the key distinct: S3's or Azure's ETag, or GCS's generation.
/// </summary>
public sealed record ObjectCreated(string Bucket, string Key, long Size, string? Version, string? ContentType = null);
