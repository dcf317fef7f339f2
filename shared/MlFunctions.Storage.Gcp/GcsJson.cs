using System.Text.Json.Serialization;

namespace MlFunctions.Storage.Gcp;

/// <summary>An object resource, as the JSON API returns it (the fields we use). Numbers come as strings.</summary>
public sealed record GcsObject(string? Name, string? Bucket, string? Generation, string? Size, string? ContentType, string? Etag);

/// <summary>A page of objects.list.</summary>
public sealed record GcsObjectList(GcsObject[]? Items, string? NextPageToken);

/// <summary>The metadata server's access token.</summary>
public sealed record MetadataToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GcsObject))]
[JsonSerializable(typeof(GcsObjectList))]
[JsonSerializable(typeof(MetadataToken))]
internal sealed partial class GcsJsonContext : JsonSerializerContext
{
}
