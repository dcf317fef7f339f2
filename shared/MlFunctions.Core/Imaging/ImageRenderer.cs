using MlFunctions.Core.Contract;
using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>Decodes, orients and fits an image onto a new RGBA canvas in one draw.</summary>
internal static class ImageRenderer
{
    // Measured on the EXIF photos (cover 224 after a 1/4 JPEG decode), against sharp's lanczos3 as
    // lossless PNG: bilinear is as close as Catmull-Rom (mean abs error 1.186 vs 1.184 per channel value)
    // and about 17 times cheaper, since Skia has a fast path for it. So: bilinear down to half size,
    // mipmaps below that (where bilinear would skip pixels), Catmull-Rom for enlargements.
    private static readonly SKSamplingOptions Enlarge = new(SKCubicResampler.CatmullRom);
    private static readonly SKSamplingOptions Reduce = new(SKFilterMode.Linear);
    private static readonly SKSamplingOptions ReduceMuch = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <param name="opaque">Flatten onto the background, for JPEG and tensors, which carry no alpha.</param>
    public static SKBitmap Render(ImageSource source, int? width, int? height, FitMode fit, SKColor background, bool opaque, FunctionLimits limits, int? shorter = null)
    {
        var plan = FitPlan.Create(source.Width, source.Height, width, height, fit, shorter);
        CheckOutput(plan, limits);
        using var decoded = source.Decode(plan.ScaleX, plan.ScaleY);
        var swap = Orientation.SwapsAxes(source.Origin);
        var uprightW = swap ? decoded.Height : decoded.Width;
        var uprightH = swap ? decoded.Width : decoded.Height;

        // The plan is in full-size units; the decode may be smaller.
        var rx = (float)uprightW / source.Width;
        var ry = (float)uprightH / source.Height;
        var src = new SKRect(plan.Source.Left * rx, plan.Source.Top * ry, plan.Source.Right * rx, plan.Source.Bottom * ry);
        var dst = plan.Destination;
        var kx = dst.Width / src.Width;
        var ky = dst.Height / src.Height;
        var fitMatrix = new SKMatrix(kx, 0, dst.Left - (src.Left * kx), 0, ky, dst.Top - (src.Top * ky), 0, 0, 1);
        var matrix = SKMatrix.Concat(fitMatrix, Orientation.ToUpright(source.Origin, decoded.Width, decoded.Height));

        // The platform's own byte order keeps Skia on its fast paths for drawing and encoding.
        var output = new SKBitmap(new SKImageInfo(plan.OutputWidth, plan.OutputHeight, SKImageInfo.PlatformColorType, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul));
        using var canvas = new SKCanvas(output);
        canvas.Clear(opaque ? background.WithAlpha(255) : background);
        canvas.ClipRect(dst);
        canvas.SetMatrix(matrix);
        // The pixmap is held (and disposed) for the image's whole life: passed as a temporary, nothing
        // referenced it once its handle was read, so the GC could finalize and free it while Skia still
        // read it on another thread (a SIGSEGV in the sprite blitter, seen under two-worker fuzzing).
        using var pixels = decoded.PeekPixels();
        using var image = SKImage.FromPixels(pixels);
        var scale = Math.Min(kx, ky);
        canvas.DrawImage(image, 0, 0, scale > 1 ? Enlarge : scale >= 0.5f ? Reduce : ReduceMuch);
        return output;
    }

    private static void CheckOutput(FitPlan plan, FunctionLimits limits)
    {
        if (plan.OutputWidth > limits.MaxOutputDimension || plan.OutputHeight > limits.MaxOutputDimension)
        {
            var name = plan.OutputWidth > limits.MaxOutputDimension ? "width" : "height";
            throw Parameters.Invalid(name,
                $"the output would be {plan.OutputWidth}x{plan.OutputHeight}; each side is limited to {limits.MaxOutputDimension} (MLF_MAX_OUTPUT_DIMENSION).");
        }
        FunctionLimits.Budget((long)plan.OutputWidth * plan.OutputHeight, limits.MaxOutputPixels, "MLF_MAX_OUTPUT_PIXELS", "width",
            $"output pixels ({plan.OutputWidth}x{plan.OutputHeight})");
    }
}
