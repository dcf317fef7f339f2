using System.IO.Hashing;

namespace MlFunctions.Core.Storage;

/// <summary>
/// A folder as a bucket (the local host's ./bucket). A write goes to a temporary file beside its
/// target and is renamed into place, so readers never see part of an object. Conditional writes
/// check and rename under an exclusive lock file (flock, so other processes are excluded too).
/// The ETag is a hash of the content. Names starting with '.mlf-' are the store's own.
/// </summary>
public sealed class LocalFolderStore : IObjectStore
{
    public const string ReservedPrefix = ".mlf-";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public LocalFolderStore(string root, string? bucket = null)
    {
        Root = Path.GetFullPath(root);
        Bucket = bucket ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Root));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Bucket { get; }

    /// <summary>The file that holds <paramref name="key"/>.</summary>
    public string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, ObjectKeys.Check(key)));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{key}' is outside the bucket.", nameof(key));
    }

    /// <summary>The key of a file in the folder, or null for the store's own files and anything outside.</summary>
    public string? KeyOf(string path)
    {
        var relative = Path.GetRelativePath(Root, Path.GetFullPath(path)).Replace(Path.DirectorySeparatorChar, '/');
        return ObjectKeys.Problem(relative) is null ? relative : null;
    }

    public Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            // Synchronous: objects here are small or read once, and async file I/O costs a cold process more than it saves.
            var content = File.ReadAllBytes(path);
            return Task.FromResult<StoredObject?>(new StoredObject(key, content, ETagOf(content)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<StoredObject?>(null);
        }
    }

    public async Task<string?> WriteAsync(string key, ReadOnlyMemory<byte> content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, ReservedPrefix + "tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
            if (!condition.CreateOnly && condition.IfMatch is null)
            {
                File.Move(temporary, path, overwrite: true);
                return ETagOf(content.Span);
            }
            using (await LockAsync(key, cancellationToken).ConfigureAwait(false))
            {
                var holds = condition.CreateOnly ? !File.Exists(path) : File.Exists(path) && ETagOf(File.ReadAllBytes(path)) == condition.IfMatch;
                if (!holds)
                {
                    return null;
                }
                File.Move(temporary, path, overwrite: true);
                return ETagOf(content.Span);
            }
        }
        finally
        {
            File.Delete(temporary); // nothing there once it has been renamed
        }
    }

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => Keys(prefix).ToAsyncEnumerable();

    /// <summary>The keys under <paramref name="prefix"/>, in ordinal order; a partial last segment filters file names.</summary>
    private IEnumerable<string> Keys(string prefix)
    {
        var slash = prefix.LastIndexOf('/');
        var folder = slash < 0 ? Root : PathOf(prefix[..slash]);
        return !Directory.Exists(folder) ? [] : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(KeyOf)
            .OfType<string>()
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    public static string ETagOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(XxHash128.Hash(content));

    /// <summary>An exclusive lock on one key, held across processes (FileShare.None takes an flock on Unix).</summary>
    private async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, ReservedPrefix + "locks");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Convert.ToHexStringLower(XxHash64.Hash(System.Text.Encoding.UTF8.GetBytes(key))) + ".lock");
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(Random.Shared.Next(2, 15), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
