using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Uploads;

/// <summary>One processed variant of an uploaded image: a name and resize options.</summary>
public sealed record ImageVariant(string Name, ResizeOptions Options)
{
    /// <summary>Used when MLF_IMAGE_VARIANTS is not set.</summary>
    public const string DefaultSetting = "thumb:width=128&height=128&fit=cover&format=jpeg;medium:width=640&height=640&fit=contain&format=jpeg";

    /// <summary>
    /// Reads 'name:query;name:query', where each query takes the resize function's parameters, such as
    /// <c>thumb:width=128&amp;height=128&amp;fit=cover&amp;format=webp</c>. A bad setting fails at start-up.
    /// </summary>
    public static IReadOnlyList<ImageVariant> Parse(string? setting, FunctionLimits limits)
    {
        var variants = new List<ImageVariant>();
        foreach (var entry in (string.IsNullOrWhiteSpace(setting) ? DefaultSetting : setting).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? entry[..colon] : throw new ArgumentException($"Image variant '{entry}' needs the form name:width=...&height=....");
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || variants.Any(v => v.Name == name))
            {
                throw new ArgumentException($"Image variant name '{name}' must be unique and use letters, digits, '-' or '_'.");
            }
            try
            {
                variants.Add(new ImageVariant(name, ResizeOptions.Parse(new Parameters(FunctionRequest.ParseQuery(entry[(colon + 1)..])), limits)));
            }
            catch (ProblemException e)
            {
                throw new ArgumentException($"Image variant '{name}': {e.Message}", e);
            }
        }
        return variants.Count > 0 ? variants : throw new ArgumentException("No image variants are configured.");
    }
}
