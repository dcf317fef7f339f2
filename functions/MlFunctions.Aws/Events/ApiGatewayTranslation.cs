using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using MlFunctions.Core.Contract;

namespace MlFunctions.Aws.Events;

/// <summary>API Gateway payload 2.0 to and from the transport-neutral contract.</summary>
public static class ApiGatewayTranslation
{
    /// <summary>The request an API Gateway 2.0 or Function URL event carries.</summary>
    /// <exception cref="JsonException">The event is not JSON of that shape.</exception>
    /// <exception cref="FormatException">Its body is marked base64 but is not.</exception>
    public static FunctionRequest Parse(byte[] payload) =>
        ToRequest(JsonSerializer.Deserialize(payload, AwsJsonContext.Default.ApiGatewayV2Request) ?? throw new JsonException("The event is JSON null."));

    internal static FunctionRequest ToRequest(ApiGatewayV2Request e)
    {
        var headers = e.Headers ?? [];
        var body = e.Body is null ? [] : e.IsBase64Encoded ? FromBase64(e.Body) : e.Body;
        return new FunctionRequest
        {
            Method = e.RequestContext?.Http?.Method ?? "POST",
            Path = e.RawPath ?? e.RequestContext?.Http?.Path ?? "/",
            Query = FunctionRequest.ParseQuery(e.RawQueryString),
            Headers = FunctionRequest.Map(headers),
            RouteValues = FunctionRequest.Map(e.PathParameters ?? []),
            Body = body,
        };
    }

    /// <summary>JSON, CSV and problem bodies go as text; images and tensors as base64.</summary>
    internal static ApiGatewayV2Response ToResponse(FunctionResponse response)
    {
        var headers = response.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);
        headers["content-type"] = response.ContentType;
        var text = response.ContentType.StartsWith("application/json", StringComparison.Ordinal)
            || response.ContentType.StartsWith("application/problem+json", StringComparison.Ordinal)
            || response.ContentType.StartsWith("text/", StringComparison.Ordinal);
        return new ApiGatewayV2Response(response.Status, headers, new ResponseBody(response.Body, Base64: !text), !text);
    }

    /// <summary>Decodes base64 from its UTF-8 bytes; whitespace (which API Gateway does not send) takes the slower, lenient path.</summary>
    private static byte[] FromBase64(byte[] base64)
    {
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        return Base64.DecodeFromUtf8(base64, bytes, out _, out var written) == OperationStatus.Done
            ? bytes[..written]
            : Convert.FromBase64String(Encoding.UTF8.GetString(base64));
    }
}
