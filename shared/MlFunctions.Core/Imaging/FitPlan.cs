using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>
/// Where a fitted image goes: the output size, the part of the (upright) source that is shown and the
/// output rectangle it is drawn into. Pure geometry, in the source's own pixel units.
/// </summary>
internal readonly record struct FitPlan(int OutputWidth, int OutputHeight, SKRect Source, SKRect Destination)
{
    /// <summary>Horizontal scale from the source to the output; below 1 is a reduction.</summary>
    public double ScaleX => Destination.Width / Source.Width;

    public double ScaleY => Destination.Height / Source.Height;

    /// <param name="shorter">Cover only: scale the shorter side to this first, then crop the centre (torchvision's Resize then CenterCrop); at least the larger output side.</param>
    public static FitPlan Create(int sourceWidth, int sourceHeight, int? width, int? height, FitMode fit, int? shorter = null)
    {
        if (width is null && height is null)
        {
            throw new ArgumentException("A width, a height or both are needed.");
        }
        var full = SKRect.Create(sourceWidth, sourceHeight);
        // One side left out keeps the aspect ratio, and then every fit gives the same result.
        var w = width ?? Math.Max(1, (int)Math.Round((double)sourceWidth * height!.Value / sourceHeight));
        var h = height ?? Math.Max(1, (int)Math.Round((double)sourceHeight * width!.Value / sourceWidth));
        if (width is null || height is null)
        {
            fit = FitMode.Fill;
        }
        var scaleX = (double)w / sourceWidth;
        var scaleY = (double)h / sourceHeight;
        switch (fit)
        {
            case FitMode.Fill:
                return new(w, h, full, SKRect.Create(w, h));
            case FitMode.Cover:
            {
                var scale = shorter is { } side ? (double)side / Math.Min(sourceWidth, sourceHeight) : Math.Max(scaleX, scaleY);
                var cropW = (float)(w / scale);
                var cropH = (float)(h / scale);
                var crop = SKRect.Create((sourceWidth - cropW) / 2, (sourceHeight - cropH) / 2, cropW, cropH);
                return new(w, h, crop, SKRect.Create(w, h));
            }
            case FitMode.Contain:
            {
                var scale = Math.Min(scaleX, scaleY);
                var outW = Math.Max(1, (int)Math.Round(sourceWidth * scale));
                var outH = Math.Max(1, (int)Math.Round(sourceHeight * scale));
                return new(outW, outH, full, SKRect.Create(outW, outH));
            }
            case FitMode.Pad:
            {
                var scale = Math.Min(scaleX, scaleY);
                var innerW = Math.Max(1, (int)Math.Round(sourceWidth * scale));
                var innerH = Math.Max(1, (int)Math.Round(sourceHeight * scale));
                // Whole-pixel offsets keep the image's edges sharp against the padding.
                return new(w, h, full, SKRect.Create((w - innerW) / 2, (h - innerH) / 2, innerW, innerH));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(fit), fit, null);
        }
    }
}
