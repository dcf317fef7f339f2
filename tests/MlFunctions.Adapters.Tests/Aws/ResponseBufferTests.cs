using System.Text.Json;
using MlFunctions.Lambda;

namespace MlFunctions.Adapters.Tests.Aws;

public sealed class ResponseBufferTests
{
    [Fact]
    public void A_response_larger_than_its_estimate_grows_and_keeps_every_byte()
    {
        var body = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var buffer = new ResponseBuffer(16);

        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBase64String("body", body);
            writer.WriteEndObject();
        }

        var read = JsonDocument.Parse(buffer.WrittenMemory).RootElement.GetProperty("body").GetBytesFromBase64();
        Assert.Equal(body, read);
    }

    [Fact]
    public void Advancing_past_what_was_handed_out_is_refused()
    {
        var buffer = new ResponseBuffer(256);
        var handedOut = buffer.GetSpan(10).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(handedOut + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
        buffer.Advance(3);
        Assert.Equal(3, buffer.WrittenMemory.Length);
    }
}
