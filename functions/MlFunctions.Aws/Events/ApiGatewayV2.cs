using System.Text.Json.Serialization;

namespace MlFunctions.Aws.Events;

/// <summary>An API Gateway HTTP API (payload 2.0) or Lambda Function URL request event.</summary>
public sealed record ApiGatewayV2Request
{
    public string? Version { get; init; }

    public string? RawPath { get; init; }

    public string? RawQueryString { get; init; }

    public string[]? Cookies { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    public Dictionary<string, string>? PathParameters { get; init; }

    public RequestContext? RequestContext { get; init; }

    /// <summary>Where the body string's UTF-8 bytes are (base64 text when <see cref="IsBase64Encoded"/>).</summary>
    [JsonConverter(typeof(EventBodyConverter))]
    public EventBody? Body { get; init; }

    public bool IsBase64Encoded { get; init; }
}

public sealed record RequestContext(HttpDescription? Http, string? RequestId, AuthorizerDescription? Authorizer = null);

/// <summary>What API Gateway's authorizer vouched for: for IAM (SigV4), the caller's principal.</summary>
public sealed record AuthorizerDescription(IamIdentity? Iam);

public sealed record IamIdentity(string? UserArn, string? AccountId);

public sealed record HttpDescription(string? Method, string? Path);

/// <summary>The payload 2.0 response: headers lower-case, the body base64 unless it is text.</summary>
public sealed record ApiGatewayV2Response(
    int StatusCode,
    Dictionary<string, string> Headers,
    ResponseBody Body,
    bool IsBase64Encoded,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Cookies = null);
