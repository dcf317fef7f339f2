using System.Text.Json;
using Amazon.S3.Model;
using MlFunctions.Core.Models;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;
using MlFunctions.Training;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>
/// The real AOT bootstrap as on-upload, fed S3 event notifications by the Runtime API emulator, reading
/// and writing a real s3rver bucket through AWSSDK.S3.
/// </summary>
public sealed class OnUploadLambdaTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IAsyncLifetime
{
    private LambdaRuntimeEmulator _emulator = null!;
    private BootstrapProcess _bootstrap = null!;
    private IObjectStore _bucket = null!;

    public async Task InitializeAsync()
    {
        _bucket = await s3.NewBucketAsync();
        _emulator = await LambdaRuntimeEmulator.StartAsync();
        _bootstrap = await BootstrapProcess.StartAsync(_emulator, "on-upload", s3.Settings(_bucket.Bucket));
    }

    private string S3Event(params string[] encodedKeys) => JsonSerializer.Serialize(new
    {
        Records = encodedKeys.Select(key => new
        {
            eventVersion = "2.1",
            eventSource = "aws:s3",
            awsRegion = "us-east-1",
            eventTime = "2026-11-22T10:00:00.000Z",
            eventName = "ObjectCreated:Put",
            s3 = new
            {
                s3SchemaVersion = "1.0",
                configurationId = "on-upload",
                bucket = new { name = _bucket.Bucket, arn = $"arn:aws:s3:::{_bucket.Bucket}" },
                @object = new { key, size = 1, eTag = "0123456789abcdef", sequencer = "0A1B2C3D4E5F678901" },
            },
        }),
    });

    [Fact]
    public async Task Every_record_of_an_s3_event_is_handled_with_its_url_encoded_key_decoded()
    {
        await _bucket.WriteAsync("incoming/images/my photo.jpg", await File.ReadAllBytesAsync(RepoPaths.ExifImage("Landscape_3")), "image/jpeg", WriteCondition.Always, CancellationToken.None);
        await _bucket.WriteAsync("incoming/images/broken.jpg", "not a jpeg"u8.ToArray(), "image/jpeg", WriteCondition.Always, CancellationToken.None);

        var outcome = await _emulator.InvokeAsync(S3Event("incoming/images/my+photo.jpg", "incoming/images/broken.jpg"));

        Assert.False(outcome.IsError, outcome.Body);
        var results = JsonDocument.Parse(outcome.Body).RootElement.EnumerateArray().Select(o => (o.GetProperty("key").GetString(), o.GetProperty("result").GetString())).ToArray();
        Assert.Equal([("incoming/images/my photo.jpg", "processed"), ("incoming/images/broken.jpg", "rejected")], results);
        var thumb = await s3.Client!.GetObjectAsync(_bucket.Bucket, "processed/images/my photo.jpg/thumb.jpg");
        Assert.Equal("image/jpeg", thumb.Headers.ContentType);
        var status = await _bucket.ReadAsync("processed/images/broken.jpg/status.json", CancellationToken.None);
        Assert.Contains("unsupported-image", System.Text.Encoding.UTF8.GetString(status!.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_training_upload_delivered_twice_creates_one_job()
    {
        await SampleBucket.WritePenguinSpecAsync(_bucket);
        await _bucket.WriteAsync("training/penguins/nov 2026.csv", await File.ReadAllBytesAsync(RepoPaths.Penguins), "text/csv", WriteCondition.Always, CancellationToken.None);

        var first = await _emulator.InvokeAsync(S3Event("training/penguins/nov+2026.csv"));
        var second = await _emulator.InvokeAsync(S3Event("training/penguins/nov%202026.csv"));

        Assert.Equal("queued", JsonDocument.Parse(first.Body).RootElement[0].GetProperty("result").GetString());
        Assert.Equal("duplicate", JsonDocument.Parse(second.Body).RootElement[0].GetProperty("result").GetString());
        var jobs = await s3.Client!.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket.Bucket, Prefix = "jobs/penguins/" });
        Assert.Equal(2, jobs.S3Objects.Count); // the manifest and its queued status
    }

    /// <summary>Parquet.Net under Native AOT (its three warnings are collapsed in Directory.Build.targets): it must really read.</summary>
    [Fact]
    public async Task A_parquet_batch_is_scored_under_native_aot_as_its_csv_is_and_a_parquet_training_file_is_queued()
    {
        await ModelPublisher.TrainAsync(RepoPaths.Penguins, new ModelSpec { Task = "multiclass", Label = "Species" }, "penguins", _bucket, promote: true, _ => { }, CancellationToken.None);
        await SampleBucket.WritePenguinSpecAsync(_bucket);
        await _bucket.WriteAsync("batch/penguins/from-csv.csv", await File.ReadAllBytesAsync(RepoPaths.Penguins), "text/csv", WriteCondition.Always, CancellationToken.None);
        await _bucket.WriteAsync("batch/penguins/from-parquet.parquet", await File.ReadAllBytesAsync(RepoPaths.PenguinsParquet), "application/vnd.apache.parquet", WriteCondition.Always, CancellationToken.None);
        await _bucket.WriteAsync("training/penguins/dec.parquet", await File.ReadAllBytesAsync(RepoPaths.PenguinsParquet), "application/vnd.apache.parquet", WriteCondition.Always, CancellationToken.None);

        var outcome = await _emulator.InvokeAsync(S3Event("batch/penguins/from-csv.csv", "batch/penguins/from-parquet.parquet", "training/penguins/dec.parquet"));

        Assert.False(outcome.IsError, outcome.Body);
        Assert.Equal(["processed", "processed", "queued"], JsonDocument.Parse(outcome.Body).RootElement.EnumerateArray().Select(o => o.GetProperty("result").GetString()));
        async Task<string[]> Lines(string key) => System.Text.Encoding.UTF8.GetString((await _bucket.ReadAsync(key, CancellationToken.None))!.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var fromParquet = await Lines("predictions/penguins/from-parquet.jsonl");
        Assert.Equal(344, fromParquet.Length);
        Assert.Equal(await Lines("predictions/penguins/from-csv.jsonl"), fromParquet);
    }

    [Fact]
    public async Task A_store_that_keeps_failing_is_reported_as_a_handler_failure_and_the_next_event_is_served()
    {
        await using var proxy = await FaultProxy.StartAsync(s3.Endpoint);
        await using var emulator = await LambdaRuntimeEmulator.StartAsync();
        await using var bootstrap = await BootstrapProcess.StartAsync(emulator, "on-upload",
            new Dictionary<string, string>(s3.Settings(_bucket.Bucket)) { ["MLF_S3_ENDPOINT"] = proxy.Endpoint });
        await _bucket.WriteAsync("incoming/images/late.jpg", await File.ReadAllBytesAsync(RepoPaths.ExifImage("Landscape_4")), "image/jpeg", WriteCondition.Always, CancellationToken.None);

        proxy.FailNext(1000);
        var failed = await emulator.InvokeAsync(S3Event("incoming/images/late.jpg"));
        var tries = proxy.Requests;
        proxy.Reset();
        var served = await emulator.InvokeAsync(S3Event("incoming/images/late.jpg"));

        // Reported to /error, so that Lambda retries the event; the process lives on and serves the next.
        Assert.True(failed.IsError);
        Assert.Equal("Runtime.HandlerFailed", failed.ErrorType);
        Assert.Contains("S3 read of 'incoming/images/late.jpg' failed after 5 tries: 503",
            JsonDocument.Parse(failed.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(StoreRetry.Default.Attempts, tries);
        Assert.False(served.IsError, served.Body);
        Assert.Equal("processed", JsonDocument.Parse(served.Body).RootElement[0].GetProperty("result").GetString());
        Assert.False(bootstrap.HasExited);
    }

    [Fact]
    public async Task An_event_that_is_not_an_s3_notification_is_an_invalid_event_and_the_next_one_is_served()
    {
        var bad = await _emulator.InvokeAsync("""{"version": "2.0", "rawPath": "/api/resize"}""");
        var good = await _emulator.InvokeAsync(S3Event("somewhere/else.txt"));

        Assert.Equal("Runtime.InvalidEvent", bad.ErrorType);
        Assert.Equal("ignored", JsonDocument.Parse(good.Body).RootElement[0].GetProperty("result").GetString());
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _emulator.DisposeAsync();
    }
}
