using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MlFunctions.Core.Storage;

/// <summary>JSON documents in a store (job manifests, statuses, champion pointers), through source-generated metadata.</summary>
public static class ObjectStoreJson
{
    public const string ContentType = "application/json";

    /// <summary>The document and its ETag, or null when there is no object.</summary>
    public static async Task<(T Value, string ETag)?> ReadJsonAsync<T>(this IObjectStore store, string key, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }
        var value = JsonSerializer.Deserialize(stored.Content, type) ?? throw new InvalidDataException($"'{key}' holds JSON null.");
        return (value, stored.ETag);
    }

    public static Task<string?> WriteJsonAsync<T>(this IObjectStore store, string key, T value, JsonTypeInfo<T> type, WriteCondition condition, CancellationToken cancellationToken) =>
        store.WriteAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, type), ContentType, condition, cancellationToken);
}
