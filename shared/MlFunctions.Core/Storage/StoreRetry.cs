using System.Net;

namespace MlFunctions.Core.Storage;

/// <summary>
/// How a cloud object store retries: how many times a request is tried, the backoff between tries
/// (exponential with full jitter, capped), and how long one try may take before it counts as failed.
/// A 429, a 5xx, a network failure and a try that times out are retried; after the last try the store
/// throws <see cref="ObjectStoreException"/>. The S3 and Azure stores hand these numbers to their SDK's
/// own retry policy; the GCS store (plain HttpClient) applies them itself.
/// </summary>
public sealed record StoreRetry(int Attempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan AttemptTimeout)
{
    /// <summary>Five tries, 200 ms doubling to at most 10 s between them, 30 s a try.</summary>
    public static StoreRetry Default { get; } = new(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    public static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The wait before try <paramref name="attempt"/> + 1.</summary>
    public TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}

/// <summary>
/// A store that kept failing (or timing out) through every retry: names the store, the operation, the
/// key and the last answer, so the log says what was unreachable. Never thrown for a missing object
/// or a write condition that does not hold: those are answers, not failures.
/// </summary>
public sealed class ObjectStoreException(string message, Exception? inner = null) : IOException(message, inner)
{
    public static ObjectStoreException After(string store, string operation, string key, int attempts, string answer, Exception? inner = null) =>
        new($"{store} {operation} of '{key}' failed after {attempts} tries: {answer}", inner);
}
