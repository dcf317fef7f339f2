using System.Runtime.InteropServices;

namespace MlFunctions.Core.Storage;

/// <summary>Small objects read and written whole, over the streaming <see cref="IObjectStore"/>; a read refuses more than it was told to expect.</summary>
public static class ObjectStoreBytes
{
    /// <summary>The most a document (a manifest, a status, a pointer, a bundle) may hold.</summary>
    public const long MaxDocumentBytes = 64 * 1024 * 1024;

    /// <summary>The object read whole, or null when there is none; more than <paramref name="maxBytes"/> is an <see cref="ObjectTooLargeException"/>.</summary>
    public static async Task<StoredObject?> ReadAsync(this IObjectStore store, string key, CancellationToken cancellationToken, long maxBytes = MaxDocumentBytes)
    {
        await using var reader = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (reader is null)
        {
            return null;
        }
        if (reader.Length > maxBytes)
        {
            throw new ObjectTooLargeException(key, reader.Length.Value, maxBytes);
        }
        var content = new MemoryStream(reader.Length is { } length ? (int)length : 0);
        var buffer = new byte[Math.Min(81920, maxBytes + 1)];
        int read;
        while ((read = await reader.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (content.Length + read > maxBytes)
            {
                throw new ObjectTooLargeException(key, content.Length + read, maxBytes);
            }
            content.Write(buffer, 0, read);
        }
        return new StoredObject(key, content.Length == content.Capacity ? content.GetBuffer() : content.ToArray(), reader.ETag);
    }

    public static Task<string?> WriteAsync(this IObjectStore store, string key, ReadOnlyMemory<byte> content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        return store.WriteAsync(key, stream, contentType, condition, cancellationToken);
    }
}

/// <summary>An object larger than its reader allows: refused before it is all in memory.</summary>
public sealed class ObjectTooLargeException(string key, long bytes, long limit)
    : Exception($"'{key}' has {bytes:N0} bytes or more; at most {limit:N0} are read whole.")
{
    public string Key { get; } = key;

    public long Bytes { get; } = bytes;

    public long Limit { get; } = limit;
}
