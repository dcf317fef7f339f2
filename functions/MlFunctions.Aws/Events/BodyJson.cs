using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlFunctions.Aws.Events;

/// <summary>
/// An event's body string, never a .NET string (a 4 MiB image arrives as about 5.6 MB of base64, and
/// widening that to UTF-16 and back was a good part of a cold resize) and, when it has no escapes (API
/// Gateway's base64 never does), not even a copy: just where it lies in the event's own bytes.
/// </summary>
public readonly record struct EventBody(int Start, int Length, byte[]? Unescaped)
{
    /// <summary>The body's bytes: a slice of <paramref name="json"/>, the event's JSON they were read from, unless they had to be unescaped.</summary>
    public Memory<byte> In(ReadOnlyMemory<byte> json) =>
        Unescaped is not null ? Unescaped.AsMemory(Start, Length) : MemoryMarshal.AsMemory(json).Slice(Start, Length);
}

internal sealed class EventBodyConverter : JsonConverter<EventBody>
{
    public override EventBody Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("The body is not a JSON string.");
        }
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            // The reader runs over the whole event, so the token's index is the opening quote's in it.
            return new EventBody(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length, null);
        }
        var buffer = new byte[reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length];
        return new EventBody(0, reader.CopyString(buffer), buffer);
    }

    public override void Write(Utf8JsonWriter writer, EventBody value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Events are only read.");
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
