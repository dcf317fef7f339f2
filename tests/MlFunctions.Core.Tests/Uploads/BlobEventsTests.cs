using System.Text.Json;
using MlFunctions.Storage.Azure;

namespace MlFunctions.Core.Tests.Uploads;

/// <summary>A blob trigger's metadata, in the shapes the blob extension's versions send its Properties.</summary>
public sealed class BlobEventsTests
{
    [Theory]
    [InlineData("""{"ContentLength": 1234, "ETag": "\"0x1\"", "ContentType": "image/jpeg"}""", 1234)] // Azure.Storage.Blobs' BlobProperties (extension 5.x)
    [InlineData("""{"Length": 77, "ETag": "\"0x1\""}""", 77)] // the older storage SDK's
    [InlineData("""{"ContentLength": 5, "Length": 9}""", 5)]
    [InlineData("""{"ETag": "\"0x1\""}""", 0)] // unknown: on-upload bounds the read instead
    public void The_size_comes_from_content_length_or_length(string properties, long size)
    {
        var metadata = new Dictionary<string, JsonElement>
        {
            ["BlobTrigger"] = JsonSerializer.SerializeToElement("c/incoming/images/a.jpg"),
            ["Properties"] = JsonSerializer.SerializeToElement(properties), // the host sends it as JSON text
        };

        var upload = BlobEvents.Parse(new CustomHandlerRequest(null, metadata));

        Assert.Equal(("c", "incoming/images/a.jpg", size), (upload.Bucket, upload.Key, upload.Size));
    }
}
