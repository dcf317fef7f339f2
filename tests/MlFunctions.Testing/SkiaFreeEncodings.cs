using System.Buffers.Binary;
using SkiaSharp;

namespace MlFunctions.Testing;

/// <summary>
/// Minimal GIF and BMP writers for test inputs: Skia decodes both formats but encodes neither.
/// </summary>
public static class SkiaFreeEncodings
{
    public static Task<byte[]> EncodeAsync(SKEncodedImageFormat format, int width, int height, SKColor color) => Task.FromResult(format switch
    {
        SKEncodedImageFormat.Gif => SolidGif(width, height, color),
        SKEncodedImageFormat.Bmp => SolidBmp(width, height, color),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Only GIF and BMP are written here."),
    });

    /// <summary>A 24-bit bottom-up BMP of one colour.</summary>
    public static byte[] SolidBmp(int width, int height, SKColor color)
    {
        var stride = ((width * 3) + 3) & ~3;
        var bytes = new byte[54 + (stride * height)];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = 54 + (y * stride) + (x * 3);
                (bytes[i], bytes[i + 1], bytes[i + 2]) = (color.Blue, color.Green, color.Red);
            }
        }
        return bytes;
    }

    /// <summary>
    /// A GIF of one colour. Its LZW stream sends a clear code before every two pixels, so codes stay
    /// 3 bits wide and no compression is needed.
    /// </summary>
    public static byte[] SolidGif(int width, int height, SKColor color)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteShort(gif, width);
        WriteShort(gif, height);
        gif.Write([0xF1, 0, 0]); // global colour table of 4 entries
        gif.Write([color.Red, color.Green, color.Blue, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        gif.WriteByte(0x2C);
        WriteShort(gif, 0);
        WriteShort(gif, 0);
        WriteShort(gif, width);
        WriteShort(gif, height);
        gif.WriteByte(0);
        gif.WriteByte(2); // minimum code size: colours 0-3, clear 4, end 5

        var codes = new List<int>();
        for (var pixel = 0; pixel < width * height; pixel++)
        {
            if (pixel % 2 == 0)
            {
                codes.Add(4);
            }
            codes.Add(0);
        }
        codes.Add(5);
        var packed = new byte[((codes.Count * 3) + 7) / 8];
        for (var i = 0; i < codes.Count; i++)
        {
            for (var bit = 0; bit < 3; bit++)
            {
                if ((codes[i] >> bit & 1) != 0)
                {
                    var at = (i * 3) + bit;
                    packed[at / 8] |= (byte)(1 << (at % 8));
                }
            }
        }
        foreach (var block in packed.Chunk(255))
        {
            gif.WriteByte((byte)block.Length);
            gif.Write(block);
        }
        gif.WriteByte(0);
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    private static void WriteShort(Stream stream, int value)
    {
        stream.WriteByte((byte)value);
        stream.WriteByte((byte)(value >> 8));
    }
}
