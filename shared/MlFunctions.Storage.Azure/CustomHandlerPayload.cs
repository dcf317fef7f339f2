using System.Text.Json;
using System.Text.Json.Serialization;
using MlFunctions.Core.Storage;

namespace MlFunctions.Storage.Azure;

/// <summary>What the Functions host POSTs to /{function} for a non-HTTP trigger: the trigger's data and its metadata.</summary>
public sealed record CustomHandlerRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

/// <summary>What the host expects back: output bindings, log lines, and the function's return value.</summary>
public sealed record CustomHandlerResponse(Dictionary<string, JsonElement> Outputs, string[] Logs, JsonElement? ReturnValue);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(CustomHandlerRequest))]
[JsonSerializable(typeof(CustomHandlerResponse))]
public sealed partial class PayloadJsonContext : JsonSerializerContext
{
}

/// <summary>
/// A blob-created event from a custom handler payload, in either shape the host sends it in:
/// a blob trigger (Metadata.BlobTrigger is "container/name", Metadata.Properties has the ETag and
/// length), or an Event Grid trigger (Data holds a Microsoft.Storage.BlobCreated event whose subject
/// is /blobServices/default/containers/{container}/blobs/{name}).
/// </summary>
public static class BlobEvents
{
    /// <exception cref="FormatException">The payload is neither.</exception>
    public static ObjectCreated Parse(CustomHandlerRequest payload)
    {
        try
        {
            return ParseChecked(payload);
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong JSON type, or a string that is not valid UTF-8.
            throw new FormatException(e.Message, e);
        }
    }

    private static ObjectCreated ParseChecked(CustomHandlerRequest payload)
    {
        var metadata = payload.Metadata ?? [];
        if (Text(metadata, "BlobTrigger") is { } path)
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == path.Length - 1)
            {
                throw new FormatException($"Metadata.BlobTrigger '{path}' is not container/name.");
            }
            var properties = Object(metadata, "Properties");
            return new ObjectCreated(path[..slash], path[(slash + 1)..],
                // ContentLength: Azure.Storage.Blobs' BlobProperties (blob extension 5.x); Length: the older SDK's.
                properties is { } p && (Property(p, "ContentLength") ?? Property(p, "Length")) is { ValueKind: JsonValueKind.Number } length ? length.GetInt64() : 0,
                properties is { } q && Property(q, "ETag") is { ValueKind: JsonValueKind.String } etag ? etag.GetString() : null,
                properties is { } r && Property(r, "ContentType") is { ValueKind: JsonValueKind.String } type ? type.GetString() : null);
        }
        var grid = (payload.Data ?? []).Values.Select(Unwrap).FirstOrDefault(v => v.ValueKind == JsonValueKind.Object && Property(v, "eventType") is not null);
        if (grid.ValueKind == JsonValueKind.Object)
        {
            return FromEventGrid(grid);
        }
        throw new FormatException("it has neither Metadata.BlobTrigger (a blob trigger) nor an Event Grid event in Data.");
    }

    private static ObjectCreated FromEventGrid(JsonElement e)
    {
        const string marker = "/blobServices/default/containers/";
        var type = Property(e, "eventType") is { ValueKind: JsonValueKind.String } t ? t.GetString() : null;
        var subject = Property(e, "subject") is { ValueKind: JsonValueKind.String } s ? s.GetString()! : "";
        if (type != "Microsoft.Storage.BlobCreated" || !subject.StartsWith(marker, StringComparison.Ordinal) || !subject.Contains("/blobs/", StringComparison.Ordinal))
        {
            throw new FormatException($"the Event Grid event is '{type}' for '{subject}', not Microsoft.Storage.BlobCreated for a blob.");
        }
        var rest = subject[marker.Length..];
        var split = rest.IndexOf("/blobs/", StringComparison.Ordinal);
        var data = Property(e, "data");
        return new ObjectCreated(rest[..split], rest[(split + "/blobs/".Length)..],
            data is { } d && Property(d, "contentLength") is { ValueKind: JsonValueKind.Number } length ? length.GetInt64() : 0,
            data is { } f && Property(f, "eTag") is { ValueKind: JsonValueKind.String } etag ? etag.GetString() : null,
            data is { } g && Property(g, "contentType") is { ValueKind: JsonValueKind.String } ct ? ct.GetString() : null);
    }

    // The host sends some values as JSON, others as JSON inside a string: accept both.
    private static JsonElement Unwrap(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && text.TrimStart().StartsWith('{'))
        {
            try
            {
                return JsonDocument.Parse(text).RootElement;
            }
            catch (JsonException)
            {
                return value;
            }
        }
        return value;
    }

    private static string? Text(Dictionary<string, JsonElement> values, string name) =>
        values.TryGetValue(name, out var value) && Unwrap(value) is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;

    private static JsonElement? Object(Dictionary<string, JsonElement> values, string name) =>
        values.TryGetValue(name, out var value) && Unwrap(value) is { ValueKind: JsonValueKind.Object } o ? o : null;

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }
        return null;
    }
}
