using System.Buffers;
using MlFunctions.Core.Contract;
using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>
/// An encoded image whose header has been read and checked against the limits, ready to decode at the
/// smallest scale a fit needs. Nothing is decoded until <see cref="Decode"/>.
/// </summary>
internal sealed class ImageSource : IDisposable
{
    private static readonly SKEncodedImageFormat[] Accepted =
        [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Gif, SKEncodedImageFormat.Bmp];

    private readonly SKData _data;
    private readonly SKCodec _codec;
    private MemoryHandle _pin;

    private ImageSource(SKData data, SKCodec codec, MemoryHandle pin)
    {
        _data = data;
        _codec = codec;
        _pin = pin;
    }

    public SKEncodedImageFormat Format => _codec.EncodedFormat;

    public SKEncodedOrigin Origin => _codec.EncodedOrigin;

    /// <summary>Upright width, after EXIF orientation.</summary>
    public int Width => Orientation.SwapsAxes(Origin) ? _codec.Info.Height : _codec.Info.Width;

    public int Height => Orientation.SwapsAxes(Origin) ? _codec.Info.Width : _codec.Info.Height;

    public static ImageSource Open(ReadOnlyMemory<byte> bytes, FunctionLimits limits)
    {
        if (bytes.IsEmpty)
        {
            throw ProblemType.EmptyBody.With("Send the image's bytes as the request body.");
        }
        var signature = ImageSignature.Detect(bytes.Span)
            ?? throw ProblemType.UnsupportedImage.With("The body is not a JPEG, PNG, WebP, GIF or BMP image.");
        var (data, pin) = Wrap(bytes);
        var codec = SKCodec.Create(new SKMemoryStream(data), out var result);
        if (codec is null)
        {
            data.Dispose();
            pin.Dispose();
            throw result == SKCodecResult.IncompleteInput
                ? ProblemType.ImageTruncated.With($"The {signature} header ends after {bytes.Length} bytes.")
                : ProblemType.ImageCorrupt.With($"The body starts like a {signature} image but its header cannot be read ({result}).");
        }
        var source = new ImageSource(data, codec, pin);
        try
        {
            source.Check(limits);
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The encoded bytes as Skia data where they lie, pinned for the source's life: a copy into native
    /// memory was one more image-sized set of fresh pages on a cold start.
    /// </summary>
    private static unsafe (SKData Data, MemoryHandle Pin) Wrap(ReadOnlyMemory<byte> bytes)
    {
        var pin = bytes.Pin();
        // No release callback: the pin is ours, released in Dispose once Skia has let go of the data.
        return (SKData.Create((IntPtr)pin.Pointer, bytes.Length, releaseProc: null), pin);
    }

    private void Check(FunctionLimits limits)
    {
        if (!Accepted.Contains(Format))
        {
            throw ProblemType.UnsupportedImage.With($"{Format} images are not accepted; send JPEG, PNG, WebP, GIF or BMP.");
        }
        var info = _codec.Info;
        var pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw ProblemType.ImageCorrupt.With($"The header declares an empty image ({info.Width}x{info.Height}).");
        }
        if (pixels > limits.MaxImagePixels)
        {
            throw ProblemType.ImageTooLarge.With(
                $"The header declares {info.Width}x{info.Height} = {pixels} pixels; the limit is {limits.MaxImagePixels}.");
        }
    }

    /// <summary>
    /// Decodes in stored orientation at the smallest size that still has at least the pixels a fit with
    /// these upright scale factors needs. JPEG decodes at 1/8 steps in the DCT (as libvips's shrink-on-load),
    /// WebP at any size, the rest at full size.
    /// </summary>
    public SKBitmap Decode(double scaleX, double scaleY)
    {
        var neededX = Math.Min(1, Orientation.SwapsAxes(Origin) ? scaleY : scaleX) * _codec.Info.Width;
        var neededY = Math.Min(1, Orientation.SwapsAxes(Origin) ? scaleX : scaleY) * _codec.Info.Height;
        var size = _codec.Info.Size;
        if (Format is SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Webp)
        {
            for (var eighths = 1; eighths < 8; eighths++)
            {
                var scaled = _codec.GetScaledDimensions(eighths / 8f);
                // A hundredth of a pixel of slack: the scale factors come from rounded output sizes.
                if (scaled.Width >= neededX - 0.01 && scaled.Height >= neededY - 0.01)
                {
                    size = scaled;
                    break;
                }
            }
        }
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        var result = _codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.Success)
        {
            return bitmap;
        }
        bitmap.Dispose();
        throw result == SKCodecResult.IncompleteInput
            ? ProblemType.ImageTruncated.With($"The {Format} data ends before the image does ({_data.Size} bytes).")
            : ProblemType.ImageCorrupt.With($"The {Format} data cannot be decoded ({result}).");
    }

    public void Dispose()
    {
        _codec.Dispose();
        _data.Dispose();
        _pin.Dispose();
    }
}
