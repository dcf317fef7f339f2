using SkiaSharp;

namespace MlFunctions.Testing;

/// <summary>
/// A slow, exact reference for judging resizers: the photo decoded at full size, turned upright by its
/// EXIF orientation (pixel moves, no resampling), the centre crop a cover fit keeps, and each output pixel
/// the exact area average of the source pixels it covers (fractional edges weighted), in double precision.
/// Area averaging is what a downscale by a large factor should converge to; it owes nothing to Skia's
/// filters or libvips's.
/// </summary>
public static class ReferenceResize
{
    public static Pixels Cover(byte[] encoded, int width, int height)
    {
        var upright = Upright(encoded);
        var scale = Math.Max((double)width / upright.Width, (double)height / upright.Height);
        var (cropWidth, cropHeight) = (width / scale, height / scale);
        var (left, top) = ((upright.Width - cropWidth) / 2, (upright.Height - cropHeight) / 2);
        var source = Array.ConvertAll(upright.Rgba, v => (double)v);
        var rows = Average(source, upright.Width, upright.Height, left, cropWidth, width, horizontal: true);
        var result = Average(rows, width, upright.Height, top, cropHeight, height, horizontal: false);
        return new Pixels(width, height, Array.ConvertAll(result, v => (byte)Math.Clamp(Math.Round(v), 0, 255)));
    }

    /// <summary>Peak signal-to-noise ratio of <paramref name="image"/> against <paramref name="reference"/>, over RGB, in dB.</summary>
    public static double Psnr(Pixels image, Pixels reference)
    {
        double sum = 0;
        for (var i = 0; i < image.Rgba.Length; i += 4)
        {
            for (var c = 0; c < 3; c++)
            {
                double d = image.Rgba[i + c] - reference.Rgba[i + c];
                sum += d * d;
            }
        }
        var mse = sum / (image.Width * image.Height * 3.0);
        return 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    private static Pixels Upright(byte[] encoded)
    {
        var stored = Pixels.Decode(encoded);
        using var codec = SKCodec.Create(new SKMemoryStream(encoded));
        var origin = codec.EncodedOrigin;
        var swaps = origin >= SKEncodedOrigin.LeftTop;
        var (w, h) = swaps ? (stored.Height, stored.Width) : (stored.Width, stored.Height);
        var rgba = new byte[w * h * 4];
        for (var y = 0; y < stored.Height; y++)
        {
            for (var x = 0; x < stored.Width; x++)
            {
                var (ux, uy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (stored.Width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (stored.Width - 1 - x, stored.Height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, stored.Height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (stored.Height - 1 - y, x),
                    SKEncodedOrigin.RightBottom => (stored.Height - 1 - y, stored.Width - 1 - x),
                    SKEncodedOrigin.LeftBottom => (y, stored.Width - 1 - x),
                    _ => (x, y),
                };
                Array.Copy(stored.Rgba, ((y * stored.Width) + x) * 4, rgba, ((uy * w) + ux) * 4, 4);
            }
        }
        return new Pixels(w, h, rgba);
    }

    // One axis of the area average: output pixel i covers source [start + i*step, start + (i+1)*step).
    private static double[] Average(double[] source, int sourceWidth, int sourceHeight, double start, double span, int size, bool horizontal)
    {
        var w = horizontal ? size : sourceWidth;
        var result = new double[w * (horizontal ? sourceHeight : size) * 4];
        var step = span / size;
        var lines = horizontal ? sourceHeight : sourceWidth;
        for (var line = 0; line < lines; line++)
        {
            for (var i = 0; i < size; i++)
            {
                var (from, to) = (start + (i * step), start + ((i + 1) * step));
                var target = (horizontal ? (line * w) + i : (i * w) + line) * 4;
                double weight = 0;
                for (var s = (int)Math.Floor(from); s < Math.Ceiling(to); s++)
                {
                    var cover = Math.Min(to, s + 1) - Math.Max(from, s);
                    var at = (horizontal ? (line * sourceWidth) + s : (s * sourceWidth) + line) * 4;
                    for (var c = 0; c < 4; c++)
                    {
                        result[target + c] += source[at + c] * cover;
                    }
                    weight += cover;
                }
                for (var c = 0; c < 4; c++)
                {
                    result[target + c] /= weight;
                }
            }
        }
        return result;
    }
}
