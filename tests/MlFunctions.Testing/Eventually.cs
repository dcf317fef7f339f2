namespace MlFunctions.Testing;

/// <summary>Polls for what a background worker (the local host's bucket watcher) produces.</summary>
public static class Eventually
{
    /// <summary>The probe's first non-null answer, polled every 250 ms; a timeout naming <paramref name="what"/> after <paramref name="patience"/>.</summary>
    public static async Task<T> Async<T>(Func<Task<T?>> probe, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Gave up waiting for {what} after {patience.TotalSeconds} s.");
    }
}
