using MlFunctions.Core.Contract;
using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>Resizes encoded images: the work behind the resize function and the resize CLI.</summary>
public static class ImageResizer
{
    /// <summary>Decodes, orients, fits and encodes; bad input throws a <see cref="ProblemException"/>.</summary>
    public static ResizedImage Resize(ReadOnlyMemory<byte> image, ResizeOptions options, FunctionLimits limits)
    {
        using var source = ImageSource.Open(image, limits);
        var format = options.Format ?? source.Format switch
        {
            SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
            SKEncodedImageFormat.Webp => ImageFormat.Webp,
            _ => ImageFormat.Png,
        };
        var opaque = format == ImageFormat.Jpeg;
        var background = options.Background ?? (opaque ? SKColors.Black : SKColors.Transparent);
        using var bitmap = ImageRenderer.Render(source, options.Width, options.Height, options.Fit, background, opaque, limits);
        var bytes = ImageEncoder.Encode(bitmap, format, options.Quality);
        return new ResizedImage(bytes, format, ImageEncoder.ContentType(format), bitmap.Width, bitmap.Height);
    }
}
