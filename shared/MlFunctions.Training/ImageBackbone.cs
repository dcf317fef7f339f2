using MlFunctions.Core.Models.Onnx;

namespace MlFunctions.Training;

/// <summary>
/// The pretrained backbone image classifiers are retrained on: ResNet18 from the
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 package (its preprocessing graph, then the network), which
/// turns a 224x224 image into 512 features. The Trainer and the local host carry it in their output
/// (DnnImageModels/, restored from the package by the build, never committed); served, the same two
/// graphs run under ONNX Runtime with the head beside them, so training and serving prepare an image
/// with the same code.
/// </summary>
public sealed record ImageBackbone(IGraphRunner Runner, string GraphPath, string PreparePath)
{
    public const string Origin = "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0: ResNet18.onnx";

    public static string OutputGraphPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    public static string OutputPreparePath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    /// <summary>The backbone's files in this program's output, or null when they are not there.</summary>
    public static ImageBackbone? FromOutput(IGraphRunner runner) =>
        File.Exists(OutputGraphPath) && File.Exists(OutputPreparePath) ? new ImageBackbone(runner, OutputGraphPath, OutputPreparePath) : null;

    /// <summary>
    /// How the backbone is served, as ML.NET hands its graphs an image: 224x224, scaled and centre-cropped,
    /// raw RGB values from 0 to 255, planar, through the preparation graph; out come 512 features.
    /// </summary>
    public static OnnxManifest Manifest(string name, string version, string task) => new()
    {
        Name = name,
        Version = version,
        Task = task,
        Prepare = new OnnxStage("OriginalInput", "PreprocessedInput"),
        Input = new OnnxTensorSpec("Input247", [1, 3, 224, 224]),
        Output = new OnnxTensorSpec("Pooling395_Output_0", [1, 512, 1, 1]),
        Image = new OnnxImageInput { Width = 224, Height = 224, Fit = "cover", Scale = 1, Layout = "nchw", Channels = "rgb" },
        Source = new OnnxSource("", Origin),
    };
}
