using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Training;

namespace MlFunctions.Local;

/// <summary>
/// The sample ONNX model, registered at the first start: ResNet18 from the
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 package (restored by the build, never committed), an
/// ImageNet backbone that turns a 224x224 image into 512 features, served as a unit-length embedding
/// (image similarity and de-duplication are a dot product away).
/// </summary>
public static class SampleImageModel
{
    public const string Name = "resnet18";

    public static string GraphPath => ImageBackbone.OutputGraphPath;

    public static string PreparePath => ImageBackbone.OutputPreparePath;

    public static async Task EnsureAsync(LocalFolderStore bucket, OnnxRegistration registration, ILogger log, CancellationToken cancellationToken)
    {
        var store = new ObjectModelStore(bucket);
        if (await store.ReadChampionAsync(Name, cancellationToken).ConfigureAwait(false) is { } champion)
        {
            log.LogInformation("Model '{Model}' is ready: champion {Version}", Name, champion.Version);
            return;
        }
        if (!File.Exists(GraphPath) || !File.Exists(PreparePath))
        {
            log.LogWarning("The sample image model is not here ({Path}): build the host with its packages restored", GraphPath);
            return;
        }
        var manifest = ImageBackbone.Manifest(Name, "v1", OnnxModel.Embedding) with { Normalize = true };
        // Registered as an import would be: checked, run once, optimised once for the cold starts after this one.
        var (registered, _) = await registration.RegisterAsync(store, manifest,
            await File.ReadAllBytesAsync(GraphPath, cancellationToken).ConfigureAwait(false),
            await File.ReadAllBytesAsync(PreparePath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        log.LogInformation("Sample image model '{Model}' {Version} registered from {Path}", Name, registered.Version, GraphPath);
    }
}
