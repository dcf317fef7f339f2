using System.Globalization;
using MlFunctions.Core.Contract;
using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>The parameters resize and tensor share: size, fit and background colour.</summary>
internal static class ImageParameters
{
    public static int? Side(Parameters parameters, string name, FunctionLimits limits) =>
        parameters.Int(name, 1, limits.MaxOutputDimension);

    public static FitMode Fit(Parameters parameters, FitMode fallback, bool allowContain)
    {
        (string, FitMode)[] choices = allowContain
            ? [("contain", FitMode.Contain), ("cover", FitMode.Cover), ("fill", FitMode.Fill), ("pad", FitMode.Pad)]
            : [("cover", FitMode.Cover), ("fill", FitMode.Fill), ("pad", FitMode.Pad)];
        return parameters.Choice("fit", fallback, choices);
    }

    /// <summary>A CSS-style hex colour: #RGB, #RRGGBB or #RRGGBBAA, the '#' optional.</summary>
    public static SKColor? Background(Parameters parameters)
    {
        var text = parameters.Text("background");
        if (text is null)
        {
            return null;
        }
        var hex = text.TrimStart('#');
        if (hex.Length == 3)
        {
            hex = string.Concat(hex.Select(c => new string(c, 2)));
        }
        if (hex.Length is not (6 or 8) || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgba))
        {
            throw Parameters.Invalid("background", $"'{text}' is not a colour such as #ffffff, #fff or #ffffff80.");
        }
        if (hex.Length == 6)
        {
            rgba = (rgba << 8) | 0xFF;
        }
        return new SKColor((byte)(rgba >> 24), (byte)(rgba >> 16), (byte)(rgba >> 8), (byte)rgba);
    }
}
