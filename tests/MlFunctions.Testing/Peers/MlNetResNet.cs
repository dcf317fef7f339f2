using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace MlFunctions.Testing.Peers;

/// <summary>
/// ML.NET's own way to run the ResNet18 package's graphs (JIT): OnnxTransformer for ResNetPreprocess.onnx
/// then ResNet18.onnx, through a PredictionEngine, on the raw 224x224 RGB pixels (planar, 0 to 255),
/// on ONNX Runtime with the threads given. (ML.NET's image transforms, ImageAnalytics, cannot run
/// beside us in one process: they need SkiaSharp 3, which cannot load beside our SkiaSharp 4; the benchmark runs them in tests/peers/MlNetImages.)
/// </summary>
public sealed class MlNetResNet : IDisposable
{
    public const string Prepared = "PreprocessedInput";
    private const int Side = 224;

    private readonly PredictionEngine<PixelsRow, EmbeddingRow> _pixels;
    private readonly ITransformer _model;

    public MlNetResNet(string preparePath, string graphPath, int threads)
    {
        var ml = new MLContext(seed: 1);
        var shape = new Dictionary<string, int[]> { ["OriginalInput"] = [1, 3, Side, Side], ["Input247"] = [1, 3, Side, Side] };
        OnnxOptions Options(string model, string input, string output) => new()
        {
            ModelFile = model, InputColumns = [input], OutputColumns = [output], ShapeDictionary = shape,
            IntraOpNumThreads = threads, InterOpNumThreads = 1,
        };
        var graphs = ml.Transforms.ApplyOnnxModel(Options(preparePath, "OriginalInput", Prepared))
            .Append(ml.Transforms.CopyColumns("Input247", Prepared))
            .Append(ml.Transforms.ApplyOnnxModel(Options(graphPath, "Input247", "Pooling395_Output_0")));
        var pixelsModel = graphs.Fit(ml.Data.LoadFromEnumerable(Array.Empty<PixelsRow>()));
        _model = pixelsModel;
        _pixels = ml.Model.CreatePredictionEngine<PixelsRow, EmbeddingRow>(pixelsModel);
    }

    /// <summary>The 512 features for raw planar RGB pixels (3 x 224 x 224, 0 to 255).</summary>
    public float[] EmbedPixels(float[] pixels) => _pixels.Predict(new PixelsRow { OriginalInput = pixels }).Features;

    public void Dispose()
    {
        _pixels.Dispose();
        (_model as IDisposable)?.Dispose();
    }

    private sealed class PixelsRow
    {
        [VectorType(3 * Side * Side)]
        public float[] OriginalInput { get; set; } = [];
    }

    private sealed class EmbeddingRow
    {
        [ColumnName("Pooling395_Output_0")]
        public float[] Features { get; set; } = [];
    }
}
