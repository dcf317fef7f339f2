using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Json;

/// <summary>Source-generated JSON for every Core contract: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(CatalogDocument))]
[JsonSerializable(typeof(TensorDocument))]
public sealed partial class CoreJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context responses are written with. Our bodies are served as JSON, never inlined in HTML, so
    /// quotes and apostrophes in a problem's detail stay readable instead of becoming \u0027.
    /// </summary>
    public static CoreJsonContext Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
