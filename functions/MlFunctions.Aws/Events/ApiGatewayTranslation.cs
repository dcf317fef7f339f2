using System.Buffers;
using System.Buffers.Text;
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

    // Takes the event's body array as its own: a base64 body is decoded in place.
    private static FunctionRequest ToRequest(ApiGatewayV2Request e)
    {
        var headers = e.Headers ?? [];
        var body = e.Body is null ? ReadOnlyMemory<byte>.Empty : e.IsBase64Encoded ? FromBase64(e.Body) : e.Body;
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

    /// <summary>
    /// Decodes base64 where it lies: the body array is this request's own copy out of the event, and a
    /// fresh array for the image would be one more set of pages to fault in on a cold start. Whitespace
    /// (which API Gateway does not send, but MIME-style line breaks allow) is skipped, as by Convert.
    /// </summary>
    private static ReadOnlyMemory<byte> FromBase64(byte[] base64) =>
        Base64.DecodeFromUtf8InPlace(base64, out var written) == OperationStatus.Done
            ? base64.AsMemory(0, written)
            : throw new FormatException("The body is marked base64 (isBase64Encoded) but is not valid base64.");
}
