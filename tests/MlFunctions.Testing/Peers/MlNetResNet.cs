using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Transforms.Onnx;

namespace MlFunctions.Testing.Peers;

/// <summary>
/// ML.NET's own way to run the ResNet18 package's graphs (JIT): OnnxTransformer for ResNetPreprocess.onnx
/// then ResNet18.onnx, through a PredictionEngine. <see cref="EmbedPixels"/> takes the raw 224x224 RGB
/// pixels (planar, 0 to 255), for parity on the same input; <see cref="EmbedImage"/> the whole ML.NET
/// image pipeline from a file (LoadImages, ResizeImages with the shorter side to 224 and the centre
/// cropped, ExtractPixels), for the throughput benchmark. Both on ONNX Runtime with the threads given,
/// as ours.
/// </summary>
public sealed class MlNetResNet : IDisposable
{
    public const string Prepared = "PreprocessedInput";
    private const int Side = 224;

    private readonly PredictionEngine<PixelsRow, EmbeddingRow> _pixels;
    private readonly PredictionEngine<ImageRow, EmbeddingRow> _images;
    private readonly ITransformer[] _models;

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
        var imagesModel = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(ImageRow.Path))
            .Append(ml.Transforms.ResizeImages("Resized", Side, Side, "Image", ImageResizingEstimator.ResizingKind.IsoCrop, ImageResizingEstimator.Anchor.Center))
            .Append(ml.Transforms.ExtractPixels("OriginalInput", "Resized", ImagePixelExtractingEstimator.ColorBits.Rgb, interleavePixelColors: false))
            .Append(graphs)
            .Fit(ml.Data.LoadFromEnumerable(Array.Empty<ImageRow>()));
        _models = [pixelsModel, imagesModel];
        _pixels = ml.Model.CreatePredictionEngine<PixelsRow, EmbeddingRow>(pixelsModel);
        _images = ml.Model.CreatePredictionEngine<ImageRow, EmbeddingRow>(imagesModel);
    }

    /// <summary>The 512 features for raw planar RGB pixels (3 x 224 x 224, 0 to 255).</summary>
    public float[] EmbedPixels(float[] pixels) => _pixels.Predict(new PixelsRow { OriginalInput = pixels }).Features;

    /// <summary>The 512 features for an image file, through ML.NET's image pipeline.</summary>
    public float[] EmbedImage(string path) => _images.Predict(new ImageRow { Path = path }).Features;

    public void Dispose()
    {
        _pixels.Dispose();
        _images.Dispose();
        foreach (var model in _models)
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private sealed class PixelsRow
    {
        [VectorType(3 * Side * Side)]
        public float[] OriginalInput { get; set; } = [];
    }

    private sealed class ImageRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class EmbeddingRow
    {
        [ColumnName("Pooling395_Output_0")]
        public float[] Features { get; set; } = [];
    }
}
