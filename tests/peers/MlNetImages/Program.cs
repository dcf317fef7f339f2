using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

// MlNetImages <ResNet18.onnx> <ResNetPreprocess.onnx> <photos folder> <seconds> <threads> <photo to print>
// Embeds the folder's JPEG photos one at a time, as an ML.NET user serves ResNet18: the file loaded by
// LoadImages, resized to cover 224x224 (IsoCrop, centred), its pixels extracted (planar RGB, 0 to 255),
// then the package's two graphs through OnnxTransformer, in a PredictionEngine. After one untimed pass
// over the photos it runs for the seconds given and prints "photos/s <rate>", then the features of the
// photo named, "features <512 numbers>", for the benchmark to hold both sides to the same model.
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: MlNetImages <ResNet18.onnx> <ResNetPreprocess.onnx> <photos folder> <seconds> <threads> <photo to print>");
    return 2;
}
var (graph, prepare, folder) = (args[0], args[1], args[2]);
var seconds = double.Parse(args[3], CultureInfo.InvariantCulture);
var threads = int.Parse(args[4], CultureInfo.InvariantCulture);
var photos = Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToArray();

const int Side = 224;
var ml = new MLContext(seed: 1);
var shape = new Dictionary<string, int[]> { ["OriginalInput"] = [1, 3, Side, Side], ["Input247"] = [1, 3, Side, Side] };
OnnxOptions Options(string model, string input, string output) => new()
{
    ModelFile = model, InputColumns = [input], OutputColumns = [output], ShapeDictionary = shape,
    IntraOpNumThreads = threads, InterOpNumThreads = 1,
};
var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(PhotoRow.Path))
    .Append(ml.Transforms.ResizeImages("Image", Side, Side))
    .Append(ml.Transforms.ExtractPixels("OriginalInput", "Image"))
    .Append(ml.Transforms.ApplyOnnxModel(Options(prepare, "OriginalInput", "PreprocessedInput")))
    .Append(ml.Transforms.CopyColumns("Input247", "PreprocessedInput"))
    .Append(ml.Transforms.ApplyOnnxModel(Options(graph, "Input247", "Pooling395_Output_0")));
var model = pipeline.Fit(ml.Data.LoadFromEnumerable(Array.Empty<PhotoRow>()));
using var engine = ml.Model.CreatePredictionEngine<PhotoRow, FeaturesRow>(model);

foreach (var photo in photos)
{
    _ = engine.Predict(new PhotoRow { Path = photo });
}
var clock = Stopwatch.StartNew();
var done = 0;
while (clock.Elapsed.TotalSeconds < seconds)
{
    _ = engine.Predict(new PhotoRow { Path = photos[done % photos.Length] });
    done++;
}
Console.WriteLine(FormattableString.Invariant($"photos/s {done / clock.Elapsed.TotalSeconds:R}"));
var features = engine.Predict(new PhotoRow { Path = Path.Combine(folder, args[5]) }).Features;
Console.WriteLine("features " + string.Join(' ', features.Select(f => f.ToString("R", CultureInfo.InvariantCulture))));
return 0;

internal sealed class PhotoRow
{
    public string Path { get; set; } = "";
}

internal sealed class FeaturesRow
{
    [ColumnName("Pooling395_Output_0")]
    public float[] Features { get; set; } = [];
}
