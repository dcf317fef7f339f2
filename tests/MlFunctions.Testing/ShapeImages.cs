using System.IO.Compression;
using SkiaSharp;

namespace MlFunctions.Testing;

/// <summary>
/// Labelled photos drawn for image-classifier tests: a circle, a square or a triangle, in a random colour,
/// size, place and turn, on a random background (a colour, a gradient, or stripes), as JPEGs. Seeded: the
/// same seed draws the same images.
/// </summary>
public static class ShapeImages
{
    public static readonly string[] Labels = ["circle", "square", "triangle"];

    public static byte[] Draw(string shape, Random random, int size = 192)
    {
        using var bitmap = new SKBitmap(size, size);
        using (var canvas = new SKCanvas(bitmap))
        {
            Background(canvas, random, size);
            using var paint = new SKPaint { Color = Colour(random), IsAntialias = true, Style = SKPaintStyle.Fill };
            var r = (float)(size * (0.2 + (random.NextDouble() * 0.15)));
            var (cx, cy) = ((float)(r + (random.NextDouble() * (size - (2 * r)))), (float)(r + (random.NextDouble() * (size - (2 * r)))));
            canvas.Translate(cx, cy);
            canvas.RotateDegrees((float)(random.NextDouble() * 360));
            switch (shape)
            {
                case "circle":
                    canvas.DrawCircle(0, 0, r, paint);
                    break;
                case "square":
                    canvas.DrawRect(-r * 0.85f, -r * 0.85f, r * 1.7f, r * 1.7f, paint);
                    break;
                default:
                    using (var builder = new SKPathBuilder())
                    {
                        builder.MoveTo(0, -r);
                        builder.LineTo(r * 0.87f, r * 0.5f);
                        builder.LineTo(-r * 0.87f, r * 0.5f);
                        builder.Close();
                        using var path = builder.Detach();
                        canvas.DrawPath(path, paint);
                    }
                    break;
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
    }

    /// <summary>A zip of label folders: <paramref name="perLabel"/> images of each shape, as label/shape-n.jpg.</summary>
    public static byte[] Zip(int perLabel, int seed, Action<ZipArchive>? extra = null)
    {
        var random = new Random(seed);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var label in Labels)
            {
                for (var i = 0; i < perLabel; i++)
                {
                    Add(zip, $"{label}/{label}-{i}.jpg", Draw(label, random));
                }
            }
            extra?.Invoke(zip);
        }
        return buffer.ToArray();
    }

    public static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }

    private static void Background(SKCanvas canvas, Random random, int size)
    {
        switch (random.Next(3))
        {
            case 0:
                canvas.Clear(Colour(random));
                break;
            case 1:
                using (var paint = new SKPaint())
                {
                    paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size, size), [Colour(random), Colour(random)], SKShaderTileMode.Clamp);
                    canvas.DrawRect(0, 0, size, size, paint);
                }
                break;
            default:
                canvas.Clear(Colour(random));
                using (var stripe = new SKPaint { Color = Colour(random), StrokeWidth = 6 })
                {
                    for (var x = -size; x < size * 2; x += 24)
                    {
                        canvas.DrawLine(x, 0, x + size, size, stripe);
                    }
                }
                break;
        }
    }

    private static SKColor Colour(Random random) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
}
