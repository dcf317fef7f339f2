using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Tests.Storage;

/// <summary>Objects as files of this machine: the folder store's own file, or a temporary copy that is deleted.</summary>
public sealed class LocalObjectFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlf-local-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A store that is not the folder store (as a cloud bucket is not), over one: its keys mapped when asked, telling no length when asked not to.</summary>
    private sealed class Remote(LocalFolderStore inner, Func<string, string>? keys = null, bool tellsLength = true) : IObjectStore
    {
        public string Bucket => inner.Bucket;

        public async Task<ObjectReader?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
            await inner.OpenReadAsync(keys is null ? key : keys(key), cancellationToken) is { } reader
                ? new ObjectReader(key, reader.Content, reader.ETag, tellsLength ? reader.Length : null)
                : null;

        public Task<string?> WriteAsync(string key, Stream content, string contentType, WriteCondition condition, CancellationToken cancellationToken) =>
            inner.WriteAsync(key, content, contentType, condition, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
    }

    // Each test's own file name: a copy left behind is found by it, whatever else runs meanwhile.
    private readonly string _name = $"{Guid.NewGuid():N}.weights";

    private string Key => $"models/m/v1/{_name}";

    private async Task<LocalFolderStore> StoreAsync(byte[] content)
    {
        var store = new LocalFolderStore(_folder);
        await store.WriteAsync(Key, content, "application/octet-stream", WriteCondition.Always, CancellationToken.None);
        return store;
    }

    private string[] Copies() => [.. Directory.GetDirectories(Path.GetTempPath(), "mlf-object-*").Where(d => File.Exists(Path.Combine(d, _name)))];

    [Fact]
    public async Task The_folder_stores_own_file_is_used_and_kept()
    {
        var store = await StoreAsync([1, 2, 3]);

        using (var file = await LocalObjectFile.OpenAsync(store, Key, 3, CancellationToken.None))
        {
            Assert.Equal(store.PathOf(Key), file!.Path);
        }

        Assert.True(File.Exists(store.PathOf(Key)));
        Assert.Null(await LocalObjectFile.OpenAsync(store, "models/m/v1/none", 3, CancellationToken.None));
    }

    [Fact]
    public async Task Another_stores_object_is_copied_under_its_own_name_into_a_folder_deleted_on_dispose()
    {
        var content = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        var store = new Remote(await StoreAsync(content));

        var file = await LocalObjectFile.OpenAsync(store, Key, content.Length, CancellationToken.None);

        Assert.Equal(_name, Path.GetFileName(file!.Path));
        Assert.StartsWith(Path.GetTempPath(), file.Folder, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(file.Path));
        Assert.Single(Copies());
        file.Dispose();
        Assert.False(Directory.Exists(file.Folder));
        Assert.Empty(Copies());
        Assert.Null(await LocalObjectFile.OpenAsync(store, "models/m/v1/none", 3, CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_object_over_the_limit_is_refused_and_leaves_no_copy(bool tellsLength)
    {
        var local = await StoreAsync(new byte[100_000]);

        foreach (var store in new IObjectStore[] { local, new Remote(local, tellsLength: tellsLength) })
        {
            var e = await Assert.ThrowsAsync<ObjectTooLargeException>(() => LocalObjectFile.OpenAsync(store, Key, 99_999, CancellationToken.None));
            Assert.Equal(99_999, e.Limit);
        }

        Assert.Empty(Copies());
    }

    [Fact]
    public async Task A_copy_the_temporary_folder_cannot_hold_is_a_failure_of_its_own()
    {
        // A file name longer than Linux allows (255 bytes), as an object key's last segment may be: the local write fails.
        var local = await StoreAsync(new byte[10]);
        var store = new Remote(local, _ => Key);

        var e = await Assert.ThrowsAsync<TemporaryStorageException>(() => LocalObjectFile.OpenAsync(store, $"models/m/v1/{new string('w', 300)}", 100, CancellationToken.None));

        Assert.Contains(Path.GetTempPath(), e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
    }
}
