using System.Net;
using System.Text;
using System.Text.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Azure;

/// <summary>
/// The real AOT custom handler as on-upload, given the payloads the Functions host sends for a blob
/// trigger and an Event Grid trigger, reading and writing a real azurite container (the host itself
/// cannot run here; the payload shape is the contract).
/// </summary>
public sealed class AzureOnUploadTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private HttpProcess _handler = null!;
    private IObjectStore _container = null!;

    public async Task InitializeAsync()
    {
        _container = await azurite.NewBucketAsync();
        _handler = await AzureHandlerProcess.StartAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString, ["MLF_BUCKET"] = _container.Bucket,
        });
    }

    private async Task<JsonElement> PostAsync(object payload)
    {
        using var response = await _handler.Client.PostAsync("/on-upload", new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task A_blob_trigger_payload_reads_the_image_from_azurite_and_writes_its_variants_there()
    {
        var photo = await File.ReadAllBytesAsync(RepoPaths.ExifImage("Portrait_5"));
        var etag = await _container.WriteAsync("incoming/images/cat.jpg", photo, "image/jpeg", WriteCondition.Always, CancellationToken.None);

        var response = await PostAsync(new
        {
            Data = new { blob = Convert.ToBase64String(photo) },
            Metadata = new Dictionary<string, object>
            {
                ["BlobTrigger"] = $"{_container.Bucket}/incoming/images/cat.jpg",
                ["Uri"] = $"http://127.0.0.1/devstoreaccount1/{_container.Bucket}/incoming/images/cat.jpg",
                ["Properties"] = new { ETag = etag, Length = photo.Length, ContentType = "image/jpeg" },
                ["name"] = "incoming/images/cat.jpg",
                ["sys"] = new { MethodName = "on-upload", UtcNow = "2026-11-22T10:00:00Z" },
            },
        });

        Assert.Equal("processed", response.GetProperty("ReturnValue").GetProperty("result").GetString());
        Assert.NotEmpty(response.GetProperty("Logs").EnumerateArray());
        var thumb = await _container.ReadAsync("processed/images/cat.jpg/thumb.jpg", CancellationToken.None);
        Assert.Equal((128, 128), (Pixels.Decode(thumb!.Content).Width, Pixels.Decode(thumb.Content).Height));
    }

    [Fact]
    public async Task An_event_grid_blob_created_event_delivered_twice_creates_one_training_job()
    {
        await SampleBucket.WritePenguinSpecAsync(_container);
        var csv = await File.ReadAllBytesAsync(RepoPaths.Penguins);
        var etag = await _container.WriteAsync("training/penguins/nov.csv", csv, "text/csv", WriteCondition.Always, CancellationToken.None);
        var payload = new
        {
            Data = new Dictionary<string, object>
            {
                ["event"] = new
                {
                    id = "e-1",
                    topic = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
                    subject = $"/blobServices/default/containers/{_container.Bucket}/blobs/training/penguins/nov.csv",
                    eventType = "Microsoft.Storage.BlobCreated",
                    data = new { api = "PutBlob", eTag = etag, contentType = "text/csv", contentLength = csv.Length, blobType = "BlockBlob" },
                },
            },
            Metadata = new Dictionary<string, object>(),
        };

        var first = await PostAsync(payload);
        var second = await PostAsync(payload);

        Assert.Equal("queued", first.GetProperty("ReturnValue").GetProperty("result").GetString());
        Assert.Equal("duplicate", second.GetProperty("ReturnValue").GetProperty("result").GetString());
        var jobs = new List<string>();
        await foreach (var key in _container.ListAsync("jobs/penguins/", CancellationToken.None))
        {
            jobs.Add(key);
        }
        Assert.Equal(2, jobs.Count); // the manifest and its queued status
    }

    [Fact]
    public async Task A_payload_that_is_not_a_blob_event_is_a_400_problem()
    {
        using var response = await _handler.Client.PostAsync("/on-upload", new StringContent("""{"Data": {}, "Metadata": {}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public async Task DisposeAsync() => await _handler.DisposeAsync();
}
