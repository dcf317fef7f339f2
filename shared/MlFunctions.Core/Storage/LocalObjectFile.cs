namespace MlFunctions.Core.Storage;

/// <summary>
/// An object as a file of this machine, for a reader that opens files itself (ONNX Runtime maps a
/// graph's weights into memory rather than reading them into the heap): the local folder store's own
/// file, or the object streamed into a file of the same name in a temporary folder, deleted when this
/// is disposed. A reader that mapped the file keeps its mapping: on Linux a mapping outlives the name.
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
    /// <paramref name="maxBytes"/> is an <see cref="ObjectTooLargeException"/>, and no copy is left behind.
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
        var folder = Directory.CreateTempSubdirectory("mlf-object-").FullName;
        try
        {
            var path = System.IO.Path.Combine(folder, System.IO.Path.GetFileName(key));
            await using (var copy = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await reader.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (copy.Length + read > maxBytes)
                    {
                        throw new ObjectTooLargeException(key, copy.Length + read, maxBytes);
                    }
                    await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            return new LocalObjectFile(path, folder);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary><paramref name="content"/> as a file named <paramref name="name"/> in a temporary folder, deleted when this is disposed.</summary>
    public static LocalObjectFile Write(ReadOnlySpan<byte> content, string name)
    {
        var folder = Directory.CreateTempSubdirectory("mlf-object-").FullName;
        var path = System.IO.Path.Combine(folder, name);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(content);
        }
        return new LocalObjectFile(path, folder);
    }

    public void Dispose()
    {
        if (_temporaryFolder is null)
        {
            return;
        }
        try
        {
            Directory.Delete(_temporaryFolder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Windows keeps a mapped file until its mapping goes: the temporary folder is left to the OS.
        }
    }
}
