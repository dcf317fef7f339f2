namespace MlFunctions.Core.Storage;

/// <summary>An object opened for reading: its content as a stream, the ETag (or generation) a conditional write compares, and its length when known.</summary>
public sealed class ObjectReader(string key, Stream content, string etag, long? length, IDisposable? owner = null) : IDisposable, IAsyncDisposable
{
    public string Key { get; } = key;

    public Stream Content { get; } = content;

    public string ETag { get; } = etag;

    public long? Length { get; } = length;

    public void Dispose()
    {
        Content.Dispose();
        owner?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        owner?.Dispose();
    }
}
