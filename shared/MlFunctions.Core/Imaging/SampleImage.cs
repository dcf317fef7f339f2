using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>A small image made here (a colour gradient, PNG), for running a model once when it is checked.</summary>
public static class SampleImage
{
    private static readonly Lazy<byte[]> Encoded = new(() =>
    {
        using var bitmap = new SKBitmap(64, 48);
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 4), (byte)(y * 5), (byte)(255 - (x * 2))));
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    });

    public static byte[] Png => Encoded.Value;
}
