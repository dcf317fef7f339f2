namespace MlFunctions.Core.Storage;

/// <summary>
/// An object as a file of this machine, for a reader that opens files itself (ONNX Runtime maps a
/// graph's weights into memory rather than reading them into the heap): the local folder store's own
/// file, or the object streamed into a file of the same name in a temporary folder, deleted when this
/// is disposed. A reader that mapped the file keeps its mapping: on Linux a mapping outlives the name
/// (its disk space stays taken until the mapping goes). On Windows a mapped file cannot be deleted, and
/// its folder is left to the OS's temporary-file cleaning.
/// </summary>
public sealed class LocalObjectFile : IDisposable
{
    private readonly string? _temporaryFolder;

    private LocalObjectFile(string path, string? temporaryFolder)
    {
        Path = path;
        _temporaryFolder = temporaryFolder;
    }

    public string Path { get; }

    /// <summary>The folder that holds <see cref="Path"/>.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>
    /// The object <paramref name="key"/> as a file, or null when there is none; more than
    /// <paramref name="maxBytes"/> is an <see cref="ObjectTooLargeException"/>, and a copy that the
    /// temporary folder cannot hold (a full disk) a <see cref="TemporaryStorageException"/>; neither
    /// leaves a copy behind.
    /// </summary>
    public static async Task<LocalObjectFile?> OpenAsync(IObjectStore store, string key, long maxBytes, CancellationToken cancellationToken)
    {
        if (store is LocalFolderStore local)
        {
            var file = new FileInfo(local.PathOf(key));
            return !file.Exists ? null
                : file.Length > maxBytes ? throw new ObjectTooLargeException(key, file.Length, maxBytes)
                : new LocalObjectFile(file.FullName, null);
        }
        await using var reader = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (reader is null)
        {
            return null;
        }
        if (reader.Length > maxBytes)
        {
            throw new ObjectTooLargeException(key, reader.Length.Value, maxBytes);
        }
        var folder = TemporaryFolder();
        try
        {
            var path = System.IO.Path.Combine(folder, System.IO.Path.GetFileName(key));
            await using (var copy = Local(() => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16)))
            {
                var buffer = new byte[1 << 16];
                long written = 0;
                int read;
                while ((read = await reader.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (written + read > maxBytes)
                    {
                        throw new ObjectTooLargeException(key, written + read, maxBytes);
                    }
                    await Local(async () => await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    written += read;
                }
                await Local(async () => await copy.FlushAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }
            return new LocalObjectFile(path, folder);
        }
        catch
        {
            Delete(folder);
            throw;
        }
    }

    public void Dispose()
    {
        if (_temporaryFolder is not null)
        {
            Delete(_temporaryFolder);
        }
    }

    private static string TemporaryFolder() => Local(() => Directory.CreateTempSubdirectory("mlf-object-").FullName);

    /// <summary>A failure of this machine's temporary storage, told apart from the store's own (whose streams fail with IOException too).</summary>
    private static T Local<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TemporaryStorageException(e);
        }
    }

    private static async Task Local(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TemporaryStorageException(e);
        }
    }

    private static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Windows keeps a mapped file until its mapping goes; a failure here must not hide the one being thrown.
        }
    }
}

/// <summary>This machine's temporary folder could not hold a copy (no room, no permission).</summary>
public sealed class TemporaryStorageException(Exception inner)
    : IOException($"the temporary folder ({Path.GetTempPath()}) cannot hold the copy ({inner.Message})", inner);
