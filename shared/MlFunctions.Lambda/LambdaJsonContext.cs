using System.Text.Json.Serialization;

namespace MlFunctions.Lambda;

/// <summary>Source-generated JSON for the Runtime API's error reports and our log lines.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LambdaError))]
[JsonSerializable(typeof(LogLine))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext
{
}
