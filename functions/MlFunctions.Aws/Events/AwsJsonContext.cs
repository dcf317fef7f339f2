using System.Text.Json.Serialization;

namespace MlFunctions.Aws.Events;

/// <summary>Source-generated JSON for Lambda's envelopes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayV2Request))]
[JsonSerializable(typeof(ApiGatewayV2Response))]
internal sealed partial class AwsJsonContext : JsonSerializerContext
{
    /// <summary>Builds the metadata for events and answers now (it is otherwise built by the first event).</summary>
    public void Prepare()
    {
        // GetTypeInfo hands out metadata configured and read-only: converters and properties resolved.
        Options.GetTypeInfo(typeof(ApiGatewayV2Request));
        Options.GetTypeInfo(typeof(ApiGatewayV2Response));
    }
}
