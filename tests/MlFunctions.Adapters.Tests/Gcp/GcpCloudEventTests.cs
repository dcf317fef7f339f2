using System.Net;
using System.Text;
using System.Text.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Gcp;

/// <summary>
/// The real AOT binary as the on-upload CloudEvent function (FUNCTION_TARGET=on-upload), given
/// google.cloud.storage.object.v1.finalized events in binary and structured mode, on the GCS JSON API
/// test server (STORAGE_EMULATOR_HOST).
/// </summary>
public sealed class GcpCloudEventTests(GcsFixture gcs) : IClassFixture<GcsFixture>, IAsyncLifetime
{
    private HttpProcess _binary = null!;
    private IObjectStore _bucket = null!;

    public async Task InitializeAsync()
    {
        _bucket = await gcs.NewBucketAsync();
        _binary = await GcpBinary.StartAsync("on-upload", new Dictionary<string, string>
        {
            ["MLF_BUCKET"] = _bucket.Bucket, ["STORAGE_EMULATOR_HOST"] = gcs.Server.Endpoint,
        });
    }

    private object ObjectData(string name, string generation, long size, string contentType) => new
    {
        kind = "storage#object",
        id = $"{_bucket.Bucket}/{name}/{generation}",
        name,
        bucket = _bucket.Bucket,
        generation,
        metageneration = "1",
        contentType,
        size = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
        timeCreated = "2026-11-22T10:00:00.000Z",
    };

    private static HttpRequestMessage Binary(object data, string? id = "e-1", string type = "google.cloud.storage.object.v1.finalized")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(JsonSerializer.Serialize(data), Encoding.UTF8, "application/json") };
        if (id is not null)
        {
            request.Headers.Add("ce-id", id);
        }
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-source", "//storage.googleapis.com/projects/_/buckets/b");
        request.Headers.Add("ce-type", type);
        request.Headers.Add("ce-subject", "objects/x");
        request.Headers.Add("ce-time", "2026-11-22T10:00:00Z");
        return request;
    }

    private static HttpRequestMessage Structured(string json) =>
        new(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8, "application/cloudevents+json") };

    [Fact]
    public async Task A_binary_mode_finalized_event_reaches_on_upload_with_its_bucket_and_name()
    {
        var photo = await File.ReadAllBytesAsync(RepoPaths.ExifImage("Landscape_8"));
        var generation = await _bucket.WriteAsync("incoming/images/dog.jpg", photo, "image/jpeg", WriteCondition.Always, CancellationToken.None);

        using var response = await _binary.Client.SendAsync(Binary(ObjectData("incoming/images/dog.jpg", generation!, photo.Length, "image/jpeg")));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var thumb = await _bucket.ReadAsync("processed/images/dog.jpg/thumb.jpg", CancellationToken.None);
        Assert.Equal(128, Pixels.Decode(thumb!.Content).Width);
    }

    [Fact]
    public async Task A_structured_mode_finalized_event_reaches_on_upload_and_a_repeat_creates_nothing()
    {
        await SampleBucket.WritePenguinSpecAsync(_bucket);
        var csv = await File.ReadAllBytesAsync(RepoPaths.Penguins);
        var generation = await _bucket.WriteAsync("training/penguins/dec.csv", csv, "text/csv", WriteCondition.Always, CancellationToken.None);
        var json = JsonSerializer.Serialize(new
        {
            specversion = "1.0",
            id = "e-2",
            source = "//storage.googleapis.com/projects/_/buckets/" + _bucket.Bucket,
            type = "google.cloud.storage.object.v1.finalized",
            subject = "objects/training/penguins/dec.csv",
            time = "2026-11-22T10:00:00Z",
            datacontenttype = "application/json",
            data = ObjectData("training/penguins/dec.csv", generation!, csv.Length, "text/csv"),
        });

        using var first = await _binary.Client.SendAsync(Structured(json));
        using var second = await _binary.Client.SendAsync(Structured(json));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var jobs = new List<string>();
        await foreach (var key in _bucket.ListAsync("jobs/penguins/", CancellationToken.None))
        {
            jobs.Add(key);
        }
        Assert.Equal(2, jobs.Count); // one manifest and its status
    }

    [Fact]
    public async Task Malformed_cloud_events_get_400()
    {
        using var noId = await _binary.Client.SendAsync(Binary(ObjectData("a.jpg", "1", 1, "image/jpeg"), id: null));
        using var badJson = await _binary.Client.SendAsync(Structured("""{"specversion": "1.0", "id": """));
        using var noSpec = await _binary.Client.SendAsync(Structured("""{"id": "1", "source": "//s", "type": "t"}"""));
        using var noType = await _binary.Client.SendAsync(Structured("""{"specversion": "1.0", "id": "1", "source": "//s"}"""));

        Assert.All(new[] { noId, badJson, noSpec, noType }, response =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        });
    }

    [Fact]
    public async Task A_store_that_keeps_failing_gives_500_marked_for_google_and_the_redelivery_is_served()
    {
        var photo = await File.ReadAllBytesAsync(RepoPaths.ExifImage("Landscape_5"));
        var generation = await _bucket.WriteAsync("incoming/images/late.jpg", photo, "image/jpeg", WriteCondition.Always, CancellationToken.None);
        gcs.Server.FailNext(1000);
        HttpResponseMessage failed;
        try
        {
            failed = await _binary.Client.SendAsync(Binary(ObjectData("incoming/images/late.jpg", generation!, photo.Length, "image/jpeg")));
        }
        finally
        {
            gcs.Server.FailNext(0);
        }
        // Google delivers the event again; the same process, still up, handles it.
        using var redelivered = await _binary.Client.SendAsync(Binary(ObjectData("incoming/images/late.jpg", generation!, photo.Length, "image/jpeg")));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("error", failed.Headers.GetValues("X-Google-Status").Single());
        failed.Dispose();
        Assert.Equal(HttpStatusCode.NoContent, redelivered.StatusCode);
        Assert.NotNull(await _bucket.ReadAsync("processed/images/late.jpg/thumb.jpg", CancellationToken.None));
    }

    public async Task DisposeAsync() => await _binary.DisposeAsync();
}
