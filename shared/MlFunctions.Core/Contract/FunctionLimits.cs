using System.Globalization;

namespace MlFunctions.Core.Contract;

/// <summary>Explicit limits on untrusted input; each can be set from the environment.</summary>
public sealed record FunctionLimits
{
    /// <summary>Largest request body accepted. The default stays under Lambda's 6 MB payload once base64-encoded.</summary>
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest image, in pixels, that a header may declare; checked before decoding.</summary>
    public long MaxImagePixels { get; init; } = 50_000_000;

    /// <summary>Largest output width or height.</summary>
    public int MaxOutputDimension { get; init; } = 8192;

    /// <summary>Most records (or score rows) in one request.</summary>
    public int MaxRecords { get; init; } = 10_000;

    /// <summary>The largest object a storage trigger reads (an image, a training or batch CSV).</summary>
    public long MaxObjectBytes { get; init; } = 256 * 1024 * 1024;

    public static FunctionLimits Default { get; } = new();

    /// <summary>Reads MLF_MAX_BODY_BYTES, MLF_MAX_IMAGE_PIXELS, MLF_MAX_OUTPUT_DIMENSION, MLF_MAX_RECORDS and MLF_MAX_OBJECT_BYTES where set.</summary>
    public static FunctionLimits FromSettings(Func<string, string?> setting) => new()
    {
        MaxBodyBytes = Read(setting, "MLF_MAX_BODY_BYTES", Default.MaxBodyBytes),
        MaxImagePixels = Read(setting, "MLF_MAX_IMAGE_PIXELS", Default.MaxImagePixels),
        MaxOutputDimension = (int)Math.Min(int.MaxValue, Read(setting, "MLF_MAX_OUTPUT_DIMENSION", Default.MaxOutputDimension)),
        MaxRecords = (int)Math.Min(int.MaxValue, Read(setting, "MLF_MAX_RECORDS", Default.MaxRecords)),
        MaxObjectBytes = Read(setting, "MLF_MAX_OBJECT_BYTES", Default.MaxObjectBytes),
    };

    private static long Read(Func<string, string?> setting, string name, long fallback)
    {
        var text = setting(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        // A bad limit is a deployment mistake: fail at start-up rather than serve with a guess.
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{name} must be a positive whole number, not '{text}'.");
    }
}
