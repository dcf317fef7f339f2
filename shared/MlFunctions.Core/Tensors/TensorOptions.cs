using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using SkiaSharp;

namespace MlFunctions.Core.Tensors;

/// <summary>
/// How pixels become a model input: each value is (pixel * Scale - Mean[c]) / Std[c], with c in the
/// channel order asked for.
/// </summary>
/// <param name="Resize">Cover: the shorter side is scaled to this first, then the centre is cropped (torchvision's Resize then CenterCrop).</param>
/// <param name="Stride">Pad: the box shrinks to the smallest multiple of this that holds the fitted image (YOLO's letterbox for models that take any size a multiple of their stride).</param>
public sealed record TensorOptions(int Width, int Height, FitMode Fit, SKColor Background, TensorLayout Layout, bool Bgr, float Scale, float[] Mean, float[] Std, int? Resize = null, int? Stride = null)
{
    public static readonly string[] Names = ["width", "height", "fit", "background", "layout", "channels", "scale", "mean", "std", "output", "resize", "preset", "dtype", "stride"];

    // The normalisations models are trained with: ImageNet's (torchvision) and OpenAI CLIP's.
    private static readonly (string Name, (float[] Mean, float[] Std)? Values)[] Presets =
    [
        ("imagenet", ([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f])),
        ("clip", ([0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f])),
        ("none", null),
    ];

    /// <summary>Reads the options; the defaults are 224x224, cover, NCHW, RGB, scale 1/255, mean 0, std 1.</summary>
    public static TensorOptions Parse(Parameters parameters, FunctionLimits limits)
    {
        parameters.RejectUnknown(Names);
        var preset = parameters.Choice("preset", null, Presets);
        var std = parameters.FloatList("std", 3) ?? preset?.Std ?? [1f, 1f, 1f];
        if (std.Any(s => s == 0 || float.IsSubnormal(s)))
        {
            throw Parameters.Invalid("std", "a standard deviation of 0 (or so near it) would divide by zero.");
        }
        var width = ImageParameters.Side(parameters, "width", limits) ?? 224;
        var height = ImageParameters.Side(parameters, "height", limits) ?? 224;
        FunctionLimits.Budget(3L * width * height, limits.MaxTensorElements, "MLF_MAX_TENSOR_ELEMENTS", "width", $"tensor elements (3x{height}x{width})");
        var fit = ImageParameters.Fit(parameters, FitMode.Cover, allowContain: false);
        var resize = parameters.Int("resize", 1, limits.MaxOutputDimension);
        if (resize is { } shorter && (fit != FitMode.Cover || shorter < Math.Max(width, height)))
        {
            throw Parameters.Invalid("resize", fit != FitMode.Cover
                ? "a shorter side to resize to goes with fit=cover (resize, then crop the centre)."
                : $"the shorter side, {shorter}, must be at least the crop's larger side, {Math.Max(width, height)}.");
        }
        var stride = parameters.Int("stride", 1, 1024);
        if (stride is { } step && (fit != FitMode.Pad || width % step != 0 || height % step != 0))
        {
            throw Parameters.Invalid("stride", fit != FitMode.Pad
                ? "a stride goes with fit=pad (a letterbox trimmed to multiples of the stride)."
                : $"the width and height ({width}x{height}) must be multiples of the stride, {step}.");
        }
        return new TensorOptions(
            width,
            height,
            fit,
            ImageParameters.Background(parameters) ?? SKColors.Black,
            parameters.Choice("layout", TensorLayout.Nchw, ("nchw", TensorLayout.Nchw), ("nhwc", TensorLayout.Nhwc)),
            parameters.Choice("channels", false, ("rgb", false), ("bgr", true)),
            parameters.Float("scale") ?? 1f / 255f,
            parameters.FloatList("mean", 3) ?? preset?.Mean ?? [0f, 0f, 0f],
            std,
            resize,
            stride);
    }

    /// <summary>
    /// The options for an image of <paramref name="imageWidth"/> x <paramref name="imageHeight"/> (upright):
    /// with a stride, the box trimmed to the smallest multiples of it that hold the image scaled to fit
    /// (the scale is unchanged: the fitting side is the box's own, already a multiple); else these.
    /// </summary>
    public TensorOptions For(int imageWidth, int imageHeight)
    {
        if (Stride is not { } stride)
        {
            return this;
        }
        var scale = Math.Min((double)Width / imageWidth, (double)Height / imageHeight);
        int Trim(int side, int box) => Math.Min(box, (int)Math.Ceiling(Math.Max(1, Math.Round(side * scale)) / stride) * stride);
        return this with { Width = Trim(imageWidth, Width), Height = Trim(imageHeight, Height) };
    }

    public int[] Shape => Layout == TensorLayout.Nchw ? [1, 3, Height, Width] : [1, Height, Width, 3];
}
