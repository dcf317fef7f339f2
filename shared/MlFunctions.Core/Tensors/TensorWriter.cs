using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MlFunctions.Core.Tensors;

/// <summary>Turns 8-bit pixels into a normalised float tensor.</summary>
public static class TensorWriter
{
    /// <summary>A tensor from tightly packed 4-byte pixels (RGBA, or BGRA when <paramref name="bgra"/>) of options.Width x options.Height.</summary>
    public static float[] FromPixels(ReadOnlySpan<byte> pixelBytes, bool bgra, TensorOptions options)
    {
        var tensor = new float[options.Width * options.Height * 3];
        Fill(pixelBytes, bgra, options, tensor);
        return tensor;
    }

    /// <summary>
    /// The same tensor as little-endian float32 bytes. On a little-endian machine the floats are written
    /// straight into the byte array: no second 600 KB array and copy for a 224x224 answer.
    /// </summary>
    public static byte[] FromPixelsLittleEndian(ReadOnlySpan<byte> pixelBytes, bool bgra, TensorOptions options)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return ToLittleEndianBytes(FromPixels(pixelBytes, bgra, options));
        }
        // Not zeroed first: Fill writes every float.
        var bytes = GC.AllocateUninitializedArray<byte>(options.Width * options.Height * 3 * sizeof(float));
        Fill(pixelBytes, bgra, options, MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        return bytes;
    }

    private static void Fill(ReadOnlySpan<byte> pixelBytes, bool bgra, TensorOptions options, Span<float> tensor)
    {
        var pixels = options.Width * options.Height;
        if (pixelBytes.Length != pixels * 4)
        {
            throw new ArgumentException($"Expected {pixels * 4} bytes of pixels, got {pixelBytes.Length}.", nameof(pixelBytes));
        }
        // One lookup table per output channel (mean and std are in output order): 8-bit input has only 256 values.
        var tables = new float[3][];
        for (var c = 0; c < 3; c++)
        {
            tables[c] = new float[256];
            for (var v = 0; v < 256; v++)
            {
                tables[c][v] = ((v * options.Scale) - options.Mean[c]) / options.Std[c];
            }
        }
        // The output channel that each byte of a pixel lands in: a swap on either side cancels one on the other.
        var (first, second, third) = options.Bgr != bgra ? (2, 1, 0) : (0, 1, 2);
        if (options.Layout == TensorLayout.Nchw)
        {
            for (var i = 0; i < pixels; i++)
            {
                var p = i * 4;
                tensor[(first * pixels) + i] = tables[first][pixelBytes[p]];
                tensor[(second * pixels) + i] = tables[second][pixelBytes[p + 1]];
                tensor[(third * pixels) + i] = tables[third][pixelBytes[p + 2]];
            }
        }
        else
        {
            for (var i = 0; i < pixels; i++)
            {
                var p = i * 4;
                var t = i * 3;
                tensor[t + first] = tables[first][pixelBytes[p]];
                tensor[t + second] = tables[second][pixelBytes[p + 1]];
                tensor[t + third] = tables[third][pixelBytes[p + 2]];
            }
        }
    }

    /// <summary>The tensor as little-endian float32 bytes, whatever the machine's byte order.</summary>
    public static byte[] ToLittleEndianBytes(float[] tensor)
    {
        var bytes = new byte[tensor.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(tensor.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < tensor.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), tensor[i]);
            }
        }
        return bytes;
    }
}
