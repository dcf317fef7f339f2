namespace MlFunctions.Core.Imaging;

/// <summary>
/// Where a model input's pixels came from in the original (upright) image: the part of it that was
/// shown (<see cref="SourceX"/>, <see cref="SourceY"/>, <see cref="SourceWidth"/>, <see cref="SourceHeight"/>) and
/// the rectangle of the input it was drawn into (<see cref="PadX"/>, <see cref="PadY"/>, <see cref="DrawnWidth"/>,
/// <see cref="DrawnHeight"/>). A crop (cover) has a source smaller than the image; a letterbox (pad) has
/// padding around the drawn rectangle. <see cref="ToOriginal"/> maps a point of the input back.
/// </summary>
public sealed record ImageTransform(
    int OriginalWidth, int OriginalHeight, int InputWidth, int InputHeight,
    double SourceX, double SourceY, double SourceWidth, double SourceHeight,
    double PadX, double PadY, double DrawnWidth, double DrawnHeight)
{
    /// <summary>The input's scale against the original: input pixels per original pixel, horizontally.</summary>
    public double ScaleX => DrawnWidth / SourceWidth;

    public double ScaleY => DrawnHeight / SourceHeight;

    public (double X, double Y) ToOriginal(double x, double y) =>
        (SourceX + ((x - PadX) / ScaleX), SourceY + ((y - PadY) / ScaleY));

    /// <summary>The values a client needs to map boxes back, for a header: "originalWidth=...;...".</summary>
    public string ToHeader() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"original={OriginalWidth}x{OriginalHeight};input={InputWidth}x{InputHeight};source={SourceX:0.###},{SourceY:0.###},{SourceWidth:0.###},{SourceHeight:0.###};drawn={PadX:0.###},{PadY:0.###},{DrawnWidth:0.###},{DrawnHeight:0.###}");

    internal static ImageTransform From(FitPlan plan, int originalWidth, int originalHeight) => new(
        originalWidth, originalHeight, plan.OutputWidth, plan.OutputHeight,
        plan.Source.Left, plan.Source.Top, plan.Source.Width, plan.Source.Height,
        plan.Destination.Left, plan.Destination.Top, plan.Destination.Width, plan.Destination.Height);
}
