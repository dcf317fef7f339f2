using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

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

    /// <summary>
    /// What ML.NET hands the package's graphs: a 224x224 image (scaled and centre-cropped), raw RGB pixel values
    /// from 0 to 255, planar. The package's own preprocessing graph (ResNetPreprocess.onnx, which ML.NET runs
    /// before ResNet18) comes with the model as its prepare stage, so the two run exactly as ML.NET runs them.
    /// </summary>
    private static readonly OnnxImageInput Pixels = new()
    {
        Width = 224, Height = 224, Fit = "cover", Scale = 1, Layout = "nchw", Channels = "rgb",
    };

    public static string GraphPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    public static string PreparePath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");

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
        var manifest = new OnnxManifest
        {
            Name = Name,
            Version = "v1",
            Task = OnnxModel.Embedding,
            Prepare = new OnnxStage("OriginalInput", "PreprocessedInput"),
            Input = new OnnxTensorSpec("Input247", [1, 3, 224, 224]),
            Output = new OnnxTensorSpec("Pooling395_Output_0", [1, 512, 1, 1]),
            Image = Pixels,
            Normalize = true,
            Source = new OnnxSource("", "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0: ResNet18.onnx"),
        };
        // Registered as an import would be: checked, run once, optimised once for the cold starts after this one.
        var (registered, _) = await registration.RegisterAsync(store, manifest,
            await File.ReadAllBytesAsync(GraphPath, cancellationToken).ConfigureAwait(false),
            await File.ReadAllBytesAsync(PreparePath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        log.LogInformation("Sample image model '{Model}' {Version} registered from {Path}", Name, registered.Version, GraphPath);
    }
}
