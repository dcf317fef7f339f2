using SkiaSharp;

namespace MlFunctions.Testing;

/// <summary>Decoded RGBA pixels, independent of the code under test's decode path.</summary>
public sealed record Pixels(int Width, int Height, byte[] Rgba)
{
    /// <summary>Decodes with Skia at full size, as stored (no orientation applied), into unpremultiplied RGBA.</summary>
    public static Pixels Decode(byte[] encoded)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(encoded)) ?? throw new InvalidDataException("Not an image.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        unsafe
        {
            fixed (byte* p = rgba)
            {
                var result = codec.GetPixels(info, (IntPtr)p);
                if (result != SKCodecResult.Success)
                {
                    throw new InvalidDataException($"Decode failed: {result}");
                }
            }
        }
        return new Pixels(info.Width, info.Height, rgba);
    }

    /// <summary>Encodes RGBA pixels as a lossless PNG.</summary>
    public byte[] ToPng()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        Rgba.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Mean absolute difference per RGB channel value, from 0 to 255.</summary>
    public double MeanAbsoluteError(Pixels other)
    {
        if (other.Width != Width || other.Height != Height)
        {
            throw new ArgumentException($"Sizes differ: {Width}x{Height} and {other.Width}x{other.Height}.");
        }
        long sum = 0;
        for (var i = 0; i < Rgba.Length; i += 4)
        {
            sum += Math.Abs(Rgba[i] - other.Rgba[i]) + Math.Abs(Rgba[i + 1] - other.Rgba[i + 1]) + Math.Abs(Rgba[i + 2] - other.Rgba[i + 2]);
        }
        return sum / (Width * Height * 3.0);
    }

    public (byte R, byte G, byte B, byte A) At(int x, int y)
    {
        var i = ((y * Width) + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
    }
}
