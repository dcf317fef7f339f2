using System.Text.Json;
using MlFunctions.Core.Json;

namespace MlFunctions.Core.Models.Bundle;

/// <summary>bundle.json to and from a <see cref="ModelBundle"/>.</summary>
public static class ModelBundleJson
{
    public static byte[] Write(ModelBundle bundle) => JsonSerializer.SerializeToUtf8Bytes(bundle, CoreJsonContext.Web.ModelBundle);

    /// <summary>Reads a bundle; a malformed one is an <see cref="InvalidDataException"/>, since bundles are ours, not the client's.</summary>
    public static ModelBundle Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CoreJsonContext.Web.ModelBundle) ?? throw new InvalidDataException("bundle.json is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"bundle.json is not a valid bundle: {e.Message}", e);
        }
    }
}
