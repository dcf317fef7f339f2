using System.Collections.Concurrent;
using MlFunctions.Core.Storage;

namespace MlFunctions.Local.Bucket;

/// <summary>
/// Turns files appearing in the bucket folder into object-created events, as a cloud bucket would.
/// A file is reported once it has been quiet for a moment (a copy in progress is not an upload yet);
/// a new folder is scanned, since files can land in it before its watch exists. Like the clouds,
/// it may report an object twice: everything downstream is idempotent.
/// </summary>
public sealed class BucketWatcher : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly LocalFolderStore _bucket;
    private readonly Action<ObjectCreated> _created;
    private readonly FileSystemWatcher _watcher;
    private readonly ConcurrentDictionary<string, DateTime> _pending = new(StringComparer.Ordinal);
    private readonly Timer _timer;

    public BucketWatcher(LocalFolderStore bucket, Action<ObjectCreated> created)
    {
        _bucket = bucket;
        _created = created;
        _watcher = new FileSystemWatcher(bucket.Root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Created += (_, e) => Touch(e.FullPath);
        _watcher.Changed += (_, e) => Touch(e.FullPath);
        _watcher.Renamed += (_, e) => Touch(e.FullPath);
        _watcher.EnableRaisingEvents = true;
        _timer = new Timer(_ => Flush(), null, Quiet, Quiet);
    }

    private void Touch(string path)
    {
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                Touch(file);
            }
            return;
        }
        if (_bucket.KeyOf(path) is { } key)
        {
            _pending[key] = DateTime.UtcNow;
        }
    }

    private void Flush()
    {
        var now = DateTime.UtcNow;
        foreach (var (key, seen) in _pending)
        {
            if (now - seen < Quiet || !_pending.TryRemove(new KeyValuePair<string, DateTime>(key, seen)))
            {
                continue;
            }
            var file = new FileInfo(_bucket.PathOf(key));
            if (file.Exists)
            {
                // No version: on-upload takes the content's hash, so the same bytes are the same upload.
                _created(new ObjectCreated(_bucket.Bucket, key, file.Length, null));
            }
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }
}
