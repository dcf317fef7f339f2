namespace MlFunctions.Core.Storage;

/// <summary>
/// A store made on first use, so that a cold start that never touches storage (a resize) does not pay
/// for a cloud SDK client.
/// </summary>
public sealed class LazyObjectStore(string bucket, Func<IObjectStore> create) : IObjectStore
{
    private readonly Lazy<IObjectStore> _store = new(create);

    public string Bucket { get; } = bucket;

    public Task<ObjectReader?> OpenReadAsync(string key, CancellationToken cancellationToken) => _store.Value.OpenReadAsync(key, cancellationToken);

    public Task<string?> WriteAsync(string key, Stream content, string contentType, WriteCondition condition, CancellationToken cancellationToken) =>
        _store.Value.WriteAsync(key, content, contentType, condition, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => _store.Value.ListAsync(prefix, cancellationToken);
}
