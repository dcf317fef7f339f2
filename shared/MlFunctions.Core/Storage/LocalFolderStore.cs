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

    public Task<ObjectReader?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        FileStream file;
        try
        {
            // Synchronous opens and reads: async file I/O costs a cold process more than it saves here.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<ObjectReader?>(null);
        }
        try
        {
            // The ETag hashes the content: one streamed pass over the open file (a rename that replaces the
            // key meanwhile leaves this file as it was), then the reader starts again from its beginning.
            var etag = ETagOf(file);
            file.Position = 0;
            return Task.FromResult<ObjectReader?>(new ObjectReader(key, file, etag, file.Length));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public async Task<string?> WriteAsync(string key, Stream content, string contentType, WriteCondition condition, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, ReservedPrefix + "tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var hash = new XxHash128();
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            var etag = Convert.ToHexStringLower(hash.GetCurrentHash());
            if (!condition.CreateOnly && condition.IfMatch is null)
            {
                File.Move(temporary, path, overwrite: true);
                return etag;
            }
            using (await LockAsync(key, cancellationToken).ConfigureAwait(false))
            {
                var holds = condition.CreateOnly ? !File.Exists(path) : File.Exists(path) && ETagOfFile(path) == condition.IfMatch;
                if (!holds)
                {
                    return null;
                }
                File.Move(temporary, path, overwrite: true);
                return etag;
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

    private static string ETagOf(Stream content)
    {
        var hash = new XxHash128();
        hash.Append(content);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static string ETagOfFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        return ETagOf(file);
    }

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
