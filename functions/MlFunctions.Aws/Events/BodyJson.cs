using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlFunctions.Aws.Events;

/// <summary>
/// An event's body as the UTF-8 bytes of its JSON string, never a .NET string: a 4 MiB image arrives as
/// about 5.6 MB of base64, and widening that to UTF-16 and back was a good part of a cold resize.
/// </summary>
internal sealed class Utf8BodyConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("The body is not a JSON string.");
        }
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return reader.ValueSpan.ToArray();
        }
        var buffer = new byte[reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length];
        return buffer[..reader.CopyString(buffer)];
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A response body: text written as a JSON string, or bytes written straight into the JSON as base64 (no intermediate string, no escaping).</summary>
[JsonConverter(typeof(ResponseBodyConverter))]
public readonly record struct ResponseBody(ReadOnlyMemory<byte> Bytes, bool Base64);

internal sealed class ResponseBodyConverter : JsonConverter<ResponseBody>
{
    public override ResponseBody Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Responses are only written.");

    public override void Write(Utf8JsonWriter writer, ResponseBody value, JsonSerializerOptions options)
    {
        if (value.Base64)
        {
            writer.WriteBase64StringValue(value.Bytes.Span);
        }
        else
        {
            writer.WriteStringValue(value.Bytes.Span);
        }
    }
}
