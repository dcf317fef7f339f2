using System.Text;
using MlFunctions.Core.Storage;
using MlFunctions.Storage.Gcp;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>What every object store promises, checked against each: the local folder, s3rver and azurite.</summary>
public abstract class ObjectStoreContract
{
    protected abstract Task<IObjectStore> NewBucketAsync();

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Create_only_writes_once_even_when_many_race()
    {
        var store = await NewBucketAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.WriteAsync("jobs/m/one.json", Bytes($"writer {i}"), "text/plain", WriteCondition.IfNoneMatch, CancellationToken.None))));

        var winner = Assert.Single(results, r => r is not null);
        var stored = await store.ReadAsync("jobs/m/one.json", CancellationToken.None);
        Assert.Equal(winner, stored!.ETag);
        Assert.StartsWith("writer ", Encoding.UTF8.GetString(stored.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_if_unchanged_fails_on_a_stale_etag_and_a_missing_object()
    {
        var store = await NewBucketAsync();
        var first = await store.WriteAsync("models/m/champion.json", Bytes("v1"), "application/json", WriteCondition.Always, CancellationToken.None);
        var second = await store.WriteAsync("models/m/champion.json", Bytes("v2"), "application/json", WriteCondition.Unchanged(first!), CancellationToken.None);

        Assert.NotNull(second);
        Assert.Null(await store.WriteAsync("models/m/champion.json", Bytes("v3"), "application/json", WriteCondition.Unchanged(first!), CancellationToken.None));
        Assert.Null(await store.WriteAsync("models/m/none.json", Bytes("v1"), "application/json", WriteCondition.Unchanged(first!), CancellationToken.None));
        Assert.Equal("v2", Encoding.UTF8.GetString((await store.ReadAsync("models/m/champion.json", CancellationToken.None))!.Content));
    }

    [Fact]
    public async Task Missing_objects_read_as_null_and_listing_is_by_prefix_in_order()
    {
        var store = await NewBucketAsync();
        foreach (var key in new[] { "jobs/b/2.json", "jobs/a/1.json", "jobs/b/1.json", "jobsx/1.json" })
        {
            await store.WriteAsync(key, Bytes(key), "text/plain", WriteCondition.Always, CancellationToken.None);
        }

        Assert.Null(await store.ReadAsync("jobs/c/1.json", CancellationToken.None));
        var keys = new List<string>();
        await foreach (var key in store.ListAsync("jobs/b/", CancellationToken.None))
        {
            keys.Add(key);
        }
        Assert.Equal(["jobs/b/1.json", "jobs/b/2.json"], keys);
    }

    /// <summary>A stream that yields <paramref name="length"/> pseudo-random bytes in odd-sized reads and cannot seek, as a pipe from a producer does.</summary>
    private sealed class Unseekable(long length, int seed) : Stream
    {
        private readonly Random _random = new(seed);
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(Math.Min(count, 70_001), length - _position);
            _random.NextBytes(buffer.AsSpan(offset, n));
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<byte[]> HashAsync(Stream content) => await System.Security.Cryptography.SHA256.HashDataAsync(content);

    [Fact]
    public async Task A_large_object_streamed_in_without_a_length_reads_back_whole_and_create_only_still_holds()
    {
        // 20 MiB: more than one part (S3 multipart), block (Azure) or chunk (GCS resumable) of 8 MiB.
        const long size = (20L * 1024 * 1024) + 12345;
        var store = await NewBucketAsync();

        var etag = await store.WriteAsync("predictions/m/big.jsonl", new Unseekable(size, 7), "application/x-ndjson", WriteCondition.IfNoneMatch, CancellationToken.None);
        var again = await store.WriteAsync("predictions/m/big.jsonl", new Unseekable(size, 8), "application/x-ndjson", WriteCondition.IfNoneMatch, CancellationToken.None);

        Assert.NotNull(etag);
        Assert.Null(again);
        await using var reader = await store.OpenReadAsync("predictions/m/big.jsonl", CancellationToken.None);
        Assert.NotNull(reader);
        Assert.Equal(etag, reader.ETag);
        Assert.Equal(await HashAsync(new Unseekable(size, 7)), await HashAsync(reader.Content));
    }

    [Fact]
    public async Task A_write_whose_content_fails_part_way_leaves_no_object()
    {
        var store = await NewBucketAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteFromAsync("predictions/m/broken.jsonl", "application/x-ndjson", WriteCondition.Always, async (output, ct) =>
        {
            await new Unseekable(12L * 1024 * 1024, 3).CopyToAsync(output, ct);
            throw new InvalidOperationException("the producer failed");
        }, CancellationToken.None));

        Assert.Null(await store.OpenReadAsync("predictions/m/broken.jsonl", CancellationToken.None));
    }

    [Fact]
    public async Task Reading_a_document_refuses_more_than_its_limit()
    {
        var store = await NewBucketAsync();
        await store.WriteAsync("models/m/spec.json", new byte[5000], "application/json", WriteCondition.Always, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ObjectTooLargeException>(() => store.ReadAsync("models/m/spec.json", CancellationToken.None, maxBytes: 4096));
        Assert.Equal(4096, refused.Limit);
    }

    [Theory]
    [InlineData("../escape.json")]
    [InlineData("jobs/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("jobs//double.json")]
    [InlineData("jobs\\windows.json")]
    [InlineData("jobs/./here.json")]
    [InlineData("")]
    public async Task Keys_that_could_escape_the_bucket_are_refused(string key)
    {
        var store = await NewBucketAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(key, Bytes("x"), "text/plain", WriteCondition.Always, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadAsync(key, CancellationToken.None));
    }
}

public sealed class LocalFolderStoreTests : ObjectStoreContract, IDisposable
{
    private readonly List<string> _folders = [];

    private string NewFolder()
    {
        var folder = Directory.CreateTempSubdirectory("mlf-store-").FullName;
        _folders.Add(folder);
        return folder;
    }

    public void Dispose() => _folders.ForEach(f => Directory.Delete(f, recursive: true));

    protected override Task<IObjectStore> NewBucketAsync() => Task.FromResult<IObjectStore>(new LocalFolderStore(NewFolder()));

    [Fact]
    public async Task A_write_leaves_no_temporary_file_and_the_store_lists_none_of_its_own_files()
    {
        var root = NewFolder();
        var store = new LocalFolderStore(root);
        await store.WriteAsync("a/b.json", Bytes("1"), "text/plain", WriteCondition.IfNoneMatch, CancellationToken.None);
        await store.WriteAsync("a/b.json", Bytes("2"), "text/plain", WriteCondition.IfNoneMatch, CancellationToken.None);

        Assert.Equal(["b.json"], Directory.GetFiles(Path.Combine(root, "a")).Select(Path.GetFileName));
        var keys = new List<string>();
        await foreach (var key in store.ListAsync("", CancellationToken.None))
        {
            keys.Add(key);
        }
        Assert.Equal(["a/b.json"], keys);
    }
}

public sealed class S3ObjectStoreTests(S3rverFixture s3) : ObjectStoreContract, IClassFixture<S3rverFixture>
{
    protected override Task<IObjectStore> NewBucketAsync() => s3.NewBucketAsync();
}

public sealed class BlobObjectStoreTests(AzuriteFixture azurite) : ObjectStoreContract, IClassFixture<AzuriteFixture>
{
    protected override Task<IObjectStore> NewBucketAsync() => azurite.NewBucketAsync();
}

public sealed class GcsObjectStoreTests(GcsFixture gcs) : ObjectStoreContract, IClassFixture<GcsFixture>
{
    private static readonly StoreRetry Quick = new(4, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30));

    protected override Task<IObjectStore> NewBucketAsync() => gcs.NewBucketAsync();

    [Fact]
    public async Task Listing_follows_page_tokens()
    {
        var store = gcs.NewBucket(Quick);
        gcs.Server.PageSize = 2;
        try
        {
            foreach (var i in Enumerable.Range(0, 5))
            {
                await store.WriteAsync($"batch/m/{i}.csv", Bytes("x"), "text/csv", WriteCondition.Always, CancellationToken.None);
            }
            var keys = new List<string>();
            await foreach (var key in store.ListAsync("batch/m/", CancellationToken.None))
            {
                keys.Add(key);
            }
            Assert.Equal(5, keys.Count);
        }
        finally
        {
            gcs.Server.PageSize = 1000;
        }
    }

    [Fact]
    public async Task Requests_carry_a_bearer_token_from_the_metadata_server()
    {
        var tokens = new MetadataTokenSource(gcs.Http, new Uri(gcs.Server.Endpoint + MetadataTokenSource.TokenPath));
        var store = new GcsObjectStore(gcs.Http, "mlf-token", async ct => await tokens.GetAsync(ct), new Uri(gcs.Server.Endpoint + "/"), Quick);

        await store.WriteAsync("a.json", Bytes("1"), "application/json", WriteCondition.Always, CancellationToken.None);
        await store.ReadAsync("a.json", CancellationToken.None);

        Assert.Contains($"Bearer {GcsJsonApiServer.Token}", gcs.Server.Authorizations);
    }
}
