using MlFunctions.Core.Contract;
using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>What a resize produces. A null <see cref="Format"/> keeps JPEG, PNG and WebP as they are and turns GIF and BMP into PNG.</summary>
public sealed record ResizeOptions(int? Width, int? Height, FitMode Fit, ImageFormat? Format, int Quality, SKColor? Background)
{
    public static readonly string[] Names = ["width", "height", "fit", "format", "quality", "background"];

    /// <summary>Reads width, height, fit (cover), format, quality (85) and background (black; transparent for PNG and WebP).</summary>
    public static ResizeOptions Parse(Parameters parameters, FunctionLimits limits)
    {
        parameters.RejectUnknown(Names);
        var width = ImageParameters.Side(parameters, "width", limits);
        var height = ImageParameters.Side(parameters, "height", limits);
        if (width is null && height is null)
        {
            throw Parameters.Invalid("width", "give a width, a height or both (a missing one keeps the aspect ratio).");
        }
        if (width is not null && height is not null)
        {
            // Known before the image is read; a single side is checked once the fit is planned.
            FunctionLimits.Budget((long)width.Value * height.Value, limits.MaxOutputPixels, "MLF_MAX_OUTPUT_PIXELS", "width", $"output pixels ({width}x{height})");
        }
        return new ResizeOptions(
            width,
            height,
            ImageParameters.Fit(parameters, FitMode.Cover, allowContain: true),
            parameters.Choice<ImageFormat?>("format", null, ("jpeg", ImageFormat.Jpeg), ("jpg", ImageFormat.Jpeg), ("png", ImageFormat.Png), ("webp", ImageFormat.Webp)),
            parameters.Int("quality", 1, 100) ?? 85,
            ImageParameters.Background(parameters));
    }
}
