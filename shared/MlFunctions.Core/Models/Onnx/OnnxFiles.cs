namespace MlFunctions.Core.Models.Onnx;

/// <summary>The files of an ONNX version: models/&lt;model&gt;/&lt;version&gt;/model.onnx and model.json.</summary>
public static class OnnxFiles
{
    public const string Graph = "model.onnx";

    public const string Manifest = "model.json";

    /// <summary>The optional preparation graph (<see cref="OnnxManifest.Prepare"/>).</summary>
    public const string Prepare = "prepare.onnx";

    /// <summary>The graph as registration optimised it, for any CPU (<see cref="OnnxManifest.Optimized"/>): what a cold start loads when its runtime matches.</summary>
    public const string Portable = "model.optimized.onnx";

    /// <summary>The graph as registration optimised it for its own kind of CPU: what a cold start loads on such a machine.</summary>
    public const string Native = "model.native.onnx";

    /// <summary>
    /// The native graph's weights, which <see cref="Native"/> names as its external data: a cold start maps
    /// them into memory rather than reading them into the heap (versions registered before they were kept
    /// apart have them inside <see cref="Native"/>; <see cref="OnnxOptimized.WeightsSha256"/> tells which).
    /// </summary>
    public const string NativeWeights = "model.native.weights";
}
