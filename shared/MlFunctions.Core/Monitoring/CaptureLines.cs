using System.Buffers;
using System.Text.Json;

namespace MlFunctions.Core.Monitoring;

/// <summary>
/// One captured prediction as a JSON line: when, which version, the record's fields the model reads (its
/// source columns, and nothing else the caller sent), and what was predicted.
/// </summary>
public static class CaptureLines
{
    public static byte[] Write(DateTimeOffset at, string version, JsonElement record, IReadOnlyList<string> columns, string? label, double? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("at", at);
            json.WriteString("version", version);
            json.WriteStartObject("record");
            foreach (var column in columns)
            {
                if (record.TryGetProperty(column, out var field))
                {
                    json.WritePropertyName(column);
                    field.WriteTo(json);
                }
            }
            json.WriteEndObject();
            if (label is not null)
            {
                json.WriteString("label", label);
            }
            if (value is { } number && double.IsFinite(number))
            {
                json.WriteNumber("value", number);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
