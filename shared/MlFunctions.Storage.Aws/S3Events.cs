using System.Text.Json;
using System.Text.Json.Serialization;
using MlFunctions.Core.Storage;

namespace MlFunctions.Storage.Aws;

/// <summary>
/// S3 event notifications (what S3 sends Lambda for ObjectCreated): several records per event, keys
/// URL-encoded with '+' for a space. S3's test event, sent when a notification is configured, has no
/// records and yields none.
/// </summary>
public static class S3Events
{
    /// <exception cref="JsonException">The payload is not JSON of this shape.</exception>
    /// <exception cref="FormatException">The payload is JSON but not an S3 notification.</exception>
    public static IReadOnlyList<ObjectCreated> Parse(byte[] payload)
    {
        var notification = JsonSerializer.Deserialize(payload, S3EventJsonContext.Default.S3Notification)
            ?? throw new JsonException("The event is JSON null.");
        if (notification.Records is null)
        {
            return notification.Event == "s3:TestEvent" ? [] : throw new FormatException("it has no Records.");
        }
        return notification.Records
            .Where(r => r.EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) == true)
            .Select(r => r.S3?.Bucket?.Name is { } bucket && r.S3.Object?.Key is { } key
                ? new ObjectCreated(bucket, DecodeKey(key), r.S3.Object.Size ?? 0, r.S3.Object.ETag)
                : throw new FormatException("a record has no s3.bucket.name or s3.object.key."))
            .ToArray();
    }

    /// <summary>S3 encodes keys in events as in a form: '+' is a space, other bytes are %XX.</summary>
    public static string DecodeKey(string key) => Uri.UnescapeDataString(key.Replace('+', ' '));
}

public sealed record S3Notification(S3Record[]? Records, string? Event);

public sealed record S3Record(string? EventSource, string? EventName, S3Entity? S3);

public sealed record S3Entity(S3Bucket? Bucket, S3Object? Object);

public sealed record S3Bucket(string? Name);

public sealed record S3Object(string? Key, long? Size, string? ETag, string? Sequencer);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(S3Notification))]
internal sealed partial class S3EventJsonContext : JsonSerializerContext
{
}
