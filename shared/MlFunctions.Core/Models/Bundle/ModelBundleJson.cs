using System.Text.Json;

namespace MlFunctions.Core.Models.Bundle;

/// <summary>bundle.json to and from a <see cref="ModelBundle"/>.</summary>
public static class ModelBundleJson
{
    public static byte[] Write(ModelBundle bundle) => JsonSerializer.SerializeToUtf8Bytes(bundle, BundleJsonContext.Default.ModelBundle);

    /// <summary>Reads a bundle (see <see cref="BundleReader"/> for how); a malformed one is an <see cref="InvalidDataException"/>, since bundles are ours, not the client's.</summary>
    public static ModelBundle Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var bundle = BundleReader.Read(document.RootElement);
            return bundle.Format is >= 1 and <= ModelBundle.CurrentFormat ? bundle
                : throw new InvalidDataException($"bundle.json is format {bundle.Format}; this MlFunctions reads formats 1 to {ModelBundle.CurrentFormat}.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"bundle.json is not a valid bundle: {e.Message}", e);
        }
    }
}
