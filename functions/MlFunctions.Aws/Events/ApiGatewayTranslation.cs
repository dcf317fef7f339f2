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
    /// <remarks>The request's body is read, and a base64 body decoded, where it lies in <paramref name="payload"/>, which it then owns.</remarks>
    public static FunctionRequest Parse(byte[] payload)
    {
        // The serializer would skip a UTF-8 byte order mark by itself, and the body's position would then
        // count from after it: skipped here, so that the position is known to count from `json`.
        var json = payload.AsMemory(payload.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0);
        var e = JsonSerializer.Deserialize(json.Span, AwsJsonContext.Default.ApiGatewayV2Request) ?? throw new JsonException("The event is JSON null.");
        return ToRequest(e, json);
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static FunctionRequest ToRequest(ApiGatewayV2Request e, ReadOnlyMemory<byte> json)
    {
        var headers = e.Headers ?? [];
        var body = e.Body is not { } lies ? ReadOnlyMemory<byte>.Empty : e.IsBase64Encoded ? FromBase64(lies.In(json)) : lies.In(json);
        return new FunctionRequest
        {
            Method = e.RequestContext?.Http?.Method ?? "POST",
            Path = e.RawPath ?? e.RequestContext?.Http?.Path ?? "/",
            Query = FunctionRequest.ParseQuery(e.RawQueryString),
            Headers = FunctionRequest.Map(headers),
            RouteValues = FunctionRequest.Map(e.PathParameters ?? []),
            Body = body,
            Caller = e.RequestContext?.Authorizer?.Iam?.UserArn,
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
    /// Decodes base64 where it lies (decoding only ever shrinks it): a fresh array for the image would be
    /// one more set of pages to fault in on a cold start. Whitespace (which API Gateway does not send,
    /// but MIME-style line breaks allow) is skipped, as by Convert.
    /// </summary>
    private static ReadOnlyMemory<byte> FromBase64(Memory<byte> base64) =>
        Base64.DecodeFromUtf8InPlace(base64.Span, out var written) == OperationStatus.Done
            ? base64[..written]
            : throw new FormatException("The body is marked base64 (isBase64Encoded) but is not valid base64.");
}
