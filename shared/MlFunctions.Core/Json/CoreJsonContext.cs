using System.Text.Json.Serialization;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Json;

/// <summary>Source-generated JSON for every Core contract: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(CatalogDocument))]
[JsonSerializable(typeof(TensorDocument))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
