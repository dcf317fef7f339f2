namespace MlFunctions.Core.Storage;

/// <summary>
/// A bucket: an S3 bucket, an Azure container, a GCS bucket or a local folder. Every write is whole
/// (readers see the old object or the new one, never part of one), and two conditional writes make
/// at-least-once event delivery safe: create-only, and replace-if-unchanged.
/// </summary>
public interface IObjectStore
{
    /// <summary>The bucket's name, as events carry it.</summary>
    string Bucket { get; }

    /// <summary>The object with its ETag, or null when there is none.</summary>
    Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the object when <paramref name="condition"/> holds and returns its new ETag; returns null,
    /// writing nothing, when it does not (the object exists for create-only, or changed for if-match).
    /// </summary>
    Task<string?> WriteAsync(string key, ReadOnlyMemory<byte> content, string contentType, WriteCondition condition, CancellationToken cancellationToken);

    /// <summary>The keys that start with <paramref name="prefix"/>, in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);
}
