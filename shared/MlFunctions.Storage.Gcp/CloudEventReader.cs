using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using MlFunctions.Core.Storage;

namespace MlFunctions.Storage.Gcp;

/// <summary>
/// A CloudEvent from an HTTP request's content type, headers and body, as the Functions Framework
/// takes it: structured mode (Content-Type application/cloudevents+json, everything in the body) or
/// binary mode (attributes in ce-* headers, the data in the body), through CloudNative.CloudEvents'
/// JSON formatter. The AspNetCore extension package does not restore here, so the few lines of
/// request reading are ours.
/// </summary>
public static class CloudEventReader
{
    public const string StorageFinalized = "google.cloud.storage.object.v1.finalized";
    private static readonly JsonEventFormatter Formatter = new();

    /// <exception cref="FormatException">The request is not a valid CloudEvent (a missing id, source, type or specversion, or bad JSON).</exception>
    public static CloudEvent Read(string? contentType, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        try
        {
            var cloudEvent = contentType?.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase) == true
                ? Formatter.DecodeStructuredModeMessage(body, new ContentType(contentType), null)
                : Binary(contentType, headers, body);
            return cloudEvent.IsValid ? cloudEvent : throw new FormatException($"it lacks a required attribute: {string.Join(", ", Missing(cloudEvent))}.");
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException or UriFormatException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>The object a storage.object.v1.finalized event is about; null for any other type.</summary>
    /// <exception cref="FormatException">The data lacks the bucket or the name.</exception>
    public static ObjectCreated? Finalized(CloudEvent cloudEvent)
    {
        try
        {
            return FinalizedChecked(cloudEvent);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException(e.Message, e); // a string that is not valid UTF-8
        }
    }

    private static ObjectCreated? FinalizedChecked(CloudEvent cloudEvent)
    {
        if (cloudEvent.Type != StorageFinalized)
        {
            return null;
        }
        if (cloudEvent.Data is not JsonElement { ValueKind: JsonValueKind.Object } data)
        {
            throw new FormatException("its data is not a JSON object.");
        }
        var bucket = Text(data, "bucket") ?? throw new FormatException("its data has no bucket.");
        var name = Text(data, "name") ?? throw new FormatException("its data has no name.");
        // The object resource's numbers are JSON strings (int64).
        var size = long.TryParse(Text(data, "size"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0;
        return new ObjectCreated(bucket, name, size, Text(data, "generation"), Text(data, "contentType"));
    }

    private static CloudEvent Binary(string? contentType, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var attributes = headers.Where(h => h.Key.StartsWith("ce-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key[3..].ToLowerInvariant(), h => h.Value, StringComparer.Ordinal);
        var version = CloudEventsSpecVersion.FromVersionId(attributes.GetValueOrDefault("specversion"))
            ?? throw new FormatException($"ce-specversion '{attributes.GetValueOrDefault("specversion")}' is missing or not a CloudEvents version.");
        var cloudEvent = new CloudEvent(version) { DataContentType = contentType };
        foreach (var (name, value) in attributes.Where(a => a.Key != "specversion"))
        {
            cloudEvent.SetAttributeFromString(name, value);
        }
        if (body.Length > 0)
        {
            Formatter.DecodeBinaryModeEventData(body, cloudEvent);
        }
        return cloudEvent;
    }

    private static IEnumerable<string> Missing(CloudEvent cloudEvent) =>
        new (string Name, object? Value)[] { ("id", cloudEvent.Id), ("source", cloudEvent.Source), ("type", cloudEvent.Type) }
            .Where(a => a.Value is null).Select(a => a.Name);

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
