using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Tensors;

namespace MlFunctions.Core.Models.Onnx;

/// <summary>A manifest's image options as the tensor function's: the same checks and defaults, so serving and /api/tensor agree.</summary>
internal static class OnnxImageOptions
{
    public static TensorOptions Parse(OnnxImageInput image)
    {
        var query = new Dictionary<string, string>();
        Add(query, "width", image.Width?.ToString(CultureInfo.InvariantCulture));
        Add(query, "height", image.Height?.ToString(CultureInfo.InvariantCulture));
        Add(query, "scale", image.Scale?.ToString("R", CultureInfo.InvariantCulture));
        Add(query, "fit", image.Fit);
        Add(query, "layout", image.Layout);
        Add(query, "channels", image.Channels);
        Add(query, "background", image.Background);
        Add(query, "mean", image.Mean is null ? null : string.Join(',', image.Mean.Select(m => m.ToString("R", CultureInfo.InvariantCulture))));
        Add(query, "std", image.Std is null ? null : string.Join(',', image.Std.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
        try
        {
            return TensorOptions.Parse(new Parameters(query), FunctionLimits.Default);
        }
        catch (ProblemException e)
        {
            throw new InvalidDataException($"image: {e.Message}", e);
        }
    }

    private static void Add(Dictionary<string, string> query, string name, string? value)
    {
        if (value is not null)
        {
            query[name] = value;
        }
    }
}
