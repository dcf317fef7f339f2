namespace MlFunctions.Core.Storage;

/// <summary>
/// A bucket: an S3 bucket, an Azure container, a GCS bucket or a local folder. Objects are streamed
/// both ways, so their size never becomes memory. Every write is whole (readers see the old object or
/// the new one, never part of one), and two conditional writes make at-least-once event delivery safe:
/// create-only, and replace-if-unchanged. Small documents go through <see cref="ObjectStoreBytes"/>.
/// </summary>
public interface IObjectStore
{
    /// <summary>The bucket's name, as events carry it.</summary>
    string Bucket { get; }

    /// <summary>The object opened for reading with its ETag, or null when there is none. The caller disposes it.</summary>
    Task<ObjectReader?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the object from <paramref name="content"/>, read once to its end (it need not be seekable:
    /// large content goes up in parts as it is read), when <paramref name="condition"/> holds, and
    /// returns its new ETag; returns null, writing nothing, when it does not (the object exists for
    /// create-only, or changed for if-match).
    /// </summary>
    Task<string?> WriteAsync(string key, Stream content, string contentType, WriteCondition condition, CancellationToken cancellationToken);

    /// <summary>The keys that start with <paramref name="prefix"/>, in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);
}
