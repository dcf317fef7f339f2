using System.Globalization;

namespace MlFunctions.Core.Contract;

/// <summary>
/// Explicit limits and work budgets on untrusted input, each checked before the work it bounds; each
/// can be set from the environment (the variable is named in every refusal).
/// </summary>
public sealed record FunctionLimits
{
    /// <summary>Lambda's: stays under its 6 MB payload once base64-encoded.</summary>
    public const long LambdaBodyBytes = 4 * 1024 * 1024;

    /// <summary>Cloud Run's (and Google Cloud Functions' second generation's) 32 MiB request limit.</summary>
    public const long CloudRunBodyBytes = 32 * 1024 * 1024;

    /// <summary>Azure Functions' 100 MB request limit (the local host takes the same).</summary>
    public const long AzureBodyBytes = 100 * 1024 * 1024;

    /// <summary>Lambda's 6 MB response payload, less room for the API Gateway envelope's headers.</summary>
    public const long LambdaResponseBytes = 6 * 1000 * 1000 - 16 * 1024;

    /// <summary>Largest request body accepted (MLF_MAX_BODY_BYTES); each platform's default is its own limit.</summary>
    public long MaxBodyBytes { get; init; } = LambdaBodyBytes;

    /// <summary>Largest image, in pixels, that a header may declare; checked before decoding (MLF_MAX_IMAGE_PIXELS).</summary>
    public long MaxImagePixels { get; init; } = 50_000_000;

    /// <summary>Largest output width or height (MLF_MAX_OUTPUT_DIMENSION).</summary>
    public int MaxOutputDimension { get; init; } = 8192;

    /// <summary>Most pixels a resize may produce (MLF_MAX_OUTPUT_PIXELS): 16.7 MP, a 4096x4096 image.</summary>
    public long MaxOutputPixels { get; init; } = 4096L * 4096;

    /// <summary>Most values a tensor may hold (MLF_MAX_TENSOR_ELEMENTS): 3 x 2048 x 2048.</summary>
    public long MaxTensorElements { get; init; } = 3L * 2048 * 2048;

    /// <summary>Most records (or score rows) in one request (MLF_MAX_RECORDS).</summary>
    public int MaxRecords { get; init; } = 10_000;

    /// <summary>Most feature values one request may produce, records x vector width (MLF_MAX_FEATURE_VALUES).</summary>
    public long MaxFeatureValues { get; init; } = 2_000_000;

    /// <summary>Most scores one format request may hold, rows x columns (MLF_MAX_FORMAT_VALUES).</summary>
    public long MaxFormatValues { get; init; } = 1_000_000;

    /// <summary>Largest answer (MLF_MAX_RESPONSE_BYTES); on Lambda its payload limit, as it will be encoded.</summary>
    public long MaxResponseBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>The largest object a storage trigger reads whole (an image); CSVs are streamed and bounded by MLF_MAX_OBJECT_BYTES too.</summary>
    public long MaxObjectBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>The largest image object a storage trigger decodes (MLF_MAX_IMAGE_OBJECT_BYTES).</summary>
    public long MaxImageObjectBytes { get; init; } = 64 * 1024 * 1024;

    public static FunctionLimits Default { get; } = new();

    /// <summary>Lambda: a 4 MiB body and a 6 MB answer.</summary>
    public static FunctionLimits Lambda { get; } = new() { MaxBodyBytes = LambdaBodyBytes, MaxResponseBytes = LambdaResponseBytes };

    /// <summary>Cloud Run and Google Cloud Functions: 32 MiB either way.</summary>
    public static FunctionLimits CloudRun { get; } = new() { MaxBodyBytes = CloudRunBodyBytes, MaxResponseBytes = CloudRunBodyBytes };

    /// <summary>Azure Functions and the local host: 100 MB requests.</summary>
    public static FunctionLimits Azure { get; } = new() { MaxBodyBytes = AzureBodyBytes };

    /// <summary>Reads every MLF_MAX_* variable that is set, over <paramref name="defaults"/> (the platform's).</summary>
    public static FunctionLimits FromSettings(Func<string, string?> setting, FunctionLimits? defaults = null)
    {
        var d = defaults ?? Default;
        return new()
        {
            MaxBodyBytes = Read(setting, "MLF_MAX_BODY_BYTES", d.MaxBodyBytes),
            MaxImagePixels = Read(setting, "MLF_MAX_IMAGE_PIXELS", d.MaxImagePixels),
            MaxOutputDimension = (int)Math.Min(int.MaxValue, Read(setting, "MLF_MAX_OUTPUT_DIMENSION", d.MaxOutputDimension)),
            MaxOutputPixels = Read(setting, "MLF_MAX_OUTPUT_PIXELS", d.MaxOutputPixels),
            MaxTensorElements = Read(setting, "MLF_MAX_TENSOR_ELEMENTS", d.MaxTensorElements),
            MaxRecords = (int)Math.Min(int.MaxValue, Read(setting, "MLF_MAX_RECORDS", d.MaxRecords)),
            MaxFeatureValues = Read(setting, "MLF_MAX_FEATURE_VALUES", d.MaxFeatureValues),
            MaxFormatValues = Read(setting, "MLF_MAX_FORMAT_VALUES", d.MaxFormatValues),
            MaxResponseBytes = Read(setting, "MLF_MAX_RESPONSE_BYTES", d.MaxResponseBytes),
            MaxObjectBytes = Read(setting, "MLF_MAX_OBJECT_BYTES", d.MaxObjectBytes),
            MaxImageObjectBytes = Read(setting, "MLF_MAX_IMAGE_OBJECT_BYTES", d.MaxImageObjectBytes),
        };
    }

    /// <summary>Refuses work above a budget before it starts: a 413 naming the field and the variable that sets the budget.</summary>
    public static void Budget(long asked, long budget, string variable, string field, string what)
    {
        if (asked > budget)
        {
            throw ProblemType.OverBudget.With(
                $"'{field}' asks for {asked.ToString("N0", CultureInfo.InvariantCulture)} {what}; the budget is {budget.ToString("N0", CultureInfo.InvariantCulture)} ({variable}).",
                field);
        }
    }

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
