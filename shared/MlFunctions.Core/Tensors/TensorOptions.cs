using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using SkiaSharp;

namespace MlFunctions.Core.Tensors;

/// <summary>
/// How pixels become a model input: each value is (pixel * Scale - Mean[c]) / Std[c], with c in the
/// channel order asked for.
/// </summary>
public sealed record TensorOptions(int Width, int Height, FitMode Fit, SKColor Background, TensorLayout Layout, bool Bgr, float Scale, float[] Mean, float[] Std)
{
    public static readonly string[] Names = ["width", "height", "fit", "background", "layout", "channels", "scale", "mean", "std", "output"];

    /// <summary>Reads the options; the defaults are 224x224, cover, NCHW, RGB, scale 1/255, mean 0, std 1.</summary>
    public static TensorOptions Parse(Parameters parameters, FunctionLimits limits)
    {
        parameters.RejectUnknown(Names);
        var std = parameters.FloatList("std", 3) ?? [1f, 1f, 1f];
        if (std.Any(s => s == 0 || float.IsSubnormal(s)))
        {
            throw Parameters.Invalid("std", "a standard deviation of 0 (or so near it) would divide by zero.");
        }
        var width = ImageParameters.Side(parameters, "width", limits) ?? 224;
        var height = ImageParameters.Side(parameters, "height", limits) ?? 224;
        FunctionLimits.Budget(3L * width * height, limits.MaxTensorElements, "MLF_MAX_TENSOR_ELEMENTS", "width", $"tensor elements (3x{height}x{width})");
        return new TensorOptions(
            width,
            height,
            ImageParameters.Fit(parameters, FitMode.Cover, allowContain: false),
            ImageParameters.Background(parameters) ?? SKColors.Black,
            parameters.Choice("layout", TensorLayout.Nchw, ("nchw", TensorLayout.Nchw), ("nhwc", TensorLayout.Nhwc)),
            parameters.Choice("channels", false, ("rgb", false), ("bgr", true)),
            parameters.Float("scale") ?? 1f / 255f,
            parameters.FloatList("mean", 3) ?? [0f, 0f, 0f],
            std);
    }

    public int[] Shape => Layout == TensorLayout.Nchw ? [1, 3, Height, Width] : [1, Height, Width, 3];
}
