using MlFunctions.Core.Storage;

namespace MlFunctions.Local.Bucket;

/// <summary>
/// Turns files appearing in the bucket folder under the trigger prefixes into object-created events,
/// as a cloud bucket would. It polls (every half second) rather than using inotify: a file written
/// into a folder created a moment before can slip past a new folder's watch, and inotify instances
/// run out when many hosts share a machine. A file is reported once its size and time have held for
/// a poll (a copy in progress is not an upload yet), and again whenever it changes. Files already
/// there at start are not reported. Like the clouds, it may report an object more than once:
/// everything downstream is idempotent.
/// </summary>
public sealed class BucketWatcher : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly LocalFolderStore _bucket;
    private readonly IReadOnlyList<string> _prefixes;
    private readonly Action<ObjectCreated> _created;
    private readonly Timer _timer;
    private readonly Lock _polling = new();
    private readonly Dictionary<string, (long Length, DateTime Written)> _seen;
    private Dictionary<string, (long Length, DateTime Written)> _settling = new(StringComparer.Ordinal);

    public BucketWatcher(LocalFolderStore bucket, IReadOnlyList<string> prefixes, Action<ObjectCreated> created)
    {
        _bucket = bucket;
        _prefixes = prefixes;
        _created = created;
        _seen = Scan();
        _timer = new Timer(_ => Poll(), null, Interval, Interval);
    }

    private void Poll()
    {
        if (!_polling.TryEnter())
        {
            return; // the previous poll is still going
        }
        try
        {
            var now = Scan();
            var settling = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
            foreach (var (key, state) in now)
            {
                if (_seen.TryGetValue(key, out var known) && known == state)
                {
                    continue;
                }
                if (_settling.TryGetValue(key, out var previous) && previous == state)
                {
                    _seen[key] = state;
                    _created(new ObjectCreated(_bucket.Bucket, key, state.Length, null));
                }
                else
                {
                    settling[key] = state;
                }
            }
            foreach (var gone in _seen.Keys.Where(k => !now.ContainsKey(k)).ToArray())
            {
                _seen.Remove(gone);
            }
            _settling = settling;
        }
        finally
        {
            _polling.Exit();
        }
    }

    private Dictionary<string, (long Length, DateTime Written)> Scan()
    {
        var files = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        foreach (var prefix in _prefixes)
        {
            var folder = Path.Combine(_bucket.Root, prefix.TrimEnd('/'));
            if (!Directory.Exists(folder))
            {
                continue;
            }
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                if (_bucket.KeyOf(file.FullName) is { } key)
                {
                    files[key] = (file.Length, file.LastWriteTimeUtc);
                }
            }
        }
        return files;
    }

    public void Dispose() => _timer.Dispose();
}
