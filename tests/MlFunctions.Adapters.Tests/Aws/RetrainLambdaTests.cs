using System.Text.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>
/// The Trainer as the retrain Lambda under the Runtime API emulator, on a real s3rver bucket: the S3
/// event for a job manifest trains and promotes; events for status documents and redeliveries do nothing.
/// </summary>
public sealed class RetrainLambdaTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IAsyncLifetime
{
    private LambdaRuntimeEmulator _emulator = null!;
    private BootstrapProcess _trainer = null!;
    private IObjectStore _bucket = null!;

    public async Task InitializeAsync()
    {
        _bucket = await s3.NewBucketAsync();
        _emulator = await LambdaRuntimeEmulator.StartAsync();
        _trainer = BootstrapProcess.StartTrainer(_emulator, s3.Settings(_bucket.Bucket));
    }

    private string S3Event(string key) => JsonSerializer.Serialize(new
    {
        Records = new[]
        {
            new { eventSource = "aws:s3", eventName = "ObjectCreated:Put", s3 = new { bucket = new { name = _bucket.Bucket }, @object = new { key, size = 1, eTag = "e" } } },
        },
    });

    [Fact]
    public async Task A_job_manifest_event_trains_and_promotes_once()
    {
        var manifest = await SampleBucket.QueuePenguinJobAsync(_bucket);
        var status = BucketLayout.JobStatus("penguins", BucketLayout.ParseJob(manifest)!.Value.JobId);

        var ignored = await _emulator.InvokeAsync(S3Event(status), TimeSpan.FromMinutes(2));
        var trained = await _emulator.InvokeAsync(S3Event(manifest), TimeSpan.FromMinutes(2));
        var again = await _emulator.InvokeAsync(S3Event(manifest), TimeSpan.FromMinutes(2));

        Assert.False(trained.IsError, trained.Body);
        Assert.Equal(0, JsonDocument.Parse(ignored.Body).RootElement.GetArrayLength());
        var job = JsonDocument.Parse(trained.Body).RootElement.EnumerateArray().Single();
        Assert.Equal("succeeded", job.GetProperty("state").GetString());
        Assert.Equal(0, JsonDocument.Parse(again.Body).RootElement.GetArrayLength());
        var champion = await new ObjectModelStore(_bucket).ReadChampionAsync("penguins", CancellationToken.None);
        Assert.Equal(job.GetProperty("challenger").GetProperty("version").GetString(), champion!.Version);
        Assert.Contains(_trainer.Output, line => line.Contains("\"level\":\"INFO\"", StringComparison.Ordinal) && line.Contains("retrain", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _trainer.DisposeAsync();
        await _emulator.DisposeAsync();
    }
}
