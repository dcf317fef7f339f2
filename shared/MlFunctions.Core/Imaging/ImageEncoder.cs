using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>Encodes a rendered image.</summary>
internal static class ImageEncoder
{
    public static byte[] Encode(SKBitmap bitmap, ImageFormat format, int quality)
    {
        using var pixmap = bitmap.PeekPixels();
        using var data = format switch
        {
            ImageFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            ImageFormat.Webp => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
            ImageFormat.Png => pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        return data?.ToArray() ?? throw new InvalidOperationException($"The {format} encoder failed on a {bitmap.Width}x{bitmap.Height} image.");
    }

    public static string ContentType(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.Webp => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
