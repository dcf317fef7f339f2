using System.Text.Json.Serialization;

namespace MlFunctions.Aws.Events;

/// <summary>Source-generated JSON for Lambda's envelopes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayV2Request))]
[JsonSerializable(typeof(ApiGatewayV2Response))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
