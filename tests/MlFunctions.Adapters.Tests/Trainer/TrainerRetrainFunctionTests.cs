using System.Net;
using System.Text;
using System.Text.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Trainer;

/// <summary>
/// The Trainer as Azure's retrain custom handler (its own function app, a blob trigger on jobs/*.json),
/// on a real azurite container: the payload the Functions host sends runs the job once.
/// </summary>
public sealed class AzureRetrainTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_blob_trigger_payload_for_a_job_manifest_trains_and_promotes_once()
    {
        var container = await azurite.NewBucketAsync();
        var manifest = await SampleBucket.QueuePenguinJobAsync(container);
        await using var trainer = await TrainerServer.StartAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString, ["MLF_BUCKET"] = container.Bucket,
        }, "FUNCTIONS_CUSTOMHANDLER_PORT");
        var payload = JsonSerializer.Serialize(new
        {
            Data = new { blob = Convert.ToBase64String("{}"u8.ToArray()) },
            Metadata = new Dictionary<string, object> { ["BlobTrigger"] = $"{container.Bucket}/{manifest}", ["name"] = manifest["jobs/".Length..^".job.json".Length] },
        });

        using var first = await trainer.Client.PostAsync("/retrain", new StringContent(payload, Encoding.UTF8, "application/json"));
        using var again = await trainer.Client.PostAsync("/retrain", new StringContent(payload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var status = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("ReturnValue");
        Assert.Equal("succeeded", status.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("ReturnValue").ValueKind);
        var champion = await new ObjectModelStore(container).ReadChampionAsync("penguins", CancellationToken.None);
        Assert.Equal(status.GetProperty("challenger").GetProperty("version").GetString(), champion!.Version);
    }

    [Fact]
    public void The_trainer_app_runs_the_trainer_on_blobs_under_the_retrain_prefix()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "azure-trainer", "host.json"))).RootElement;
        var binding = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "azure-trainer", "retrain", "function.json"))).RootElement.GetProperty("bindings")[0];
        var trigger = TestCatalog.Instance.Triggers.Single(t => t.Name == "retrain");

        Assert.Equal("MlFunctions.Trainer", host.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("blobTrigger", binding.GetProperty("type").GetString());
        Assert.Equal($"%MLF_BUCKET%/{trigger.Prefixes.Single()}{{name}}{trigger.Suffix}", binding.GetProperty("path").GetString());
    }
}

/// <summary>The Trainer as Google's retrain CloudEvent function, on the GCS JSON API test server.</summary>
public sealed class GoogleRetrainTests(GcsFixture gcs) : IClassFixture<GcsFixture>
{
    [Fact]
    public async Task A_finalized_event_for_a_job_manifest_trains_and_promotes()
    {
        var bucket = await gcs.NewBucketAsync();
        var manifest = await SampleBucket.QueuePenguinJobAsync(bucket);
        await using var trainer = await TrainerServer.StartAsync(new Dictionary<string, string>
        {
            ["FUNCTION_TARGET"] = "retrain", ["MLF_BUCKET"] = bucket.Bucket, ["STORAGE_EMULATOR_HOST"] = gcs.Server.Endpoint,
        }, "PORT");
        HttpRequestMessage Finalized(string key, string id)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { bucket = bucket.Bucket, name = key, generation = "1", size = "100" }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("ce-id", id);
            request.Headers.Add("ce-specversion", "1.0");
            request.Headers.Add("ce-source", "//storage.googleapis.com/projects/_/buckets/" + bucket.Bucket);
            request.Headers.Add("ce-type", "google.cloud.storage.object.v1.finalized");
            return request;
        }
        var statusKey = BucketLayout.JobStatus("penguins", BucketLayout.ParseJob(manifest)!.Value.JobId);

        using var response = await trainer.Client.SendAsync(Finalized(manifest, "e-9"));
        var after = (await bucket.ReadAsync(statusKey, CancellationToken.None))!.ETag;
        // Eventarc cannot filter by suffix, so the status the job wrote starts the Trainer too: it is ignored.
        using var status = await trainer.Client.SendAsync(Finalized(statusKey, "e-10"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var champion = await new ObjectModelStore(bucket).ReadChampionAsync("penguins", CancellationToken.None);
        Assert.NotNull(champion);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal(after, (await bucket.ReadAsync(statusKey, CancellationToken.None))!.ETag);
    }
}
