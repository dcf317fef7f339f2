using System.Text.Json.Serialization.Metadata;

namespace MlFunctions.Core.Contract;

/// <summary>A transport-neutral HTTP response: status, headers and body bytes.</summary>
public sealed class FunctionResponse
{
    public int Status { get; init; } = 200;

    public required string ContentType { get; init; }

    /// <summary>Headers besides Content-Type.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public ReadOnlyMemory<byte> Body { get; init; }

    public static FunctionResponse Bytes(string contentType, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers = null) =>
        new() { ContentType = contentType, Body = body, Headers = headers ?? new Dictionary<string, string>() };

    public static FunctionResponse Json<T>(T value, JsonTypeInfo<T> typeInfo, int status = 200) =>
        new() { Status = status, ContentType = "application/json", Body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, typeInfo) };
}
