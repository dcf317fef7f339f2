using System.Text;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Storage;
using MlFunctions.Onnx;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Adapters.Tests.Onnx;

/// <summary>
/// Each ONNX task through predict, on graphs whose answers are known: a classification head, a
/// detection head with fixed boxes behind a letterbox, and linear models over a feature spec; and the
/// graph optimised at registration being what is served.
/// </summary>
public sealed class OnnxTasksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlf-onnx-tasks-").FullName;

    private LocalFolderStore Bucket => new(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_image_classifier_answers_the_heads_softmax_with_top_k()
    {
        await TestModels.RegisterAsync(Bucket, "colours", TestModels.Classifier, TestModels.ClassifierGraph);
        var colour = new SKColor(40, 200, 30);

        var (status, body) = await TestModels.PredictAsync(Bucket, "colours", SyntheticImages.Solid(40, 30, colour, SKEncodedImageFormat.Png), "image/png", "topK=3");

        Assert.Equal(200, status);
        var expected = TestModels.ExpectedProbabilities(colour);
        var prediction = body.GetProperty("predictions")[0];
        Assert.Equal("leafy", prediction.GetProperty("label").GetString());
        var top = prediction.GetProperty("top").EnumerateArray().ToArray();
        Assert.Equal(3, top.Length);
        foreach (var entry in top)
        {
            var index = Array.IndexOf(TestModels.Labels, entry.GetProperty("label").GetString());
            Assert.Equal(expected[index], entry.GetProperty("probability").GetDouble(), 5);
        }
    }

    /// <summary>
    /// A 200x100 image letterboxed into 64x64: scale 0.32, drawn 64x32 with 16 rows of padding above and
    /// below. The head's boxes (cx, cy, w, h in the input's pixels, YOLOv8's [1, 4 + classes, boxes]):
    /// a person, a near copy of it (NMS drops it), a dog, and a dog below the confidence threshold.
    /// </summary>
    [Fact]
    public async Task A_detection_heads_boxes_come_back_in_the_original_images_pixels_after_the_letterbox_and_nms()
    {
        float[][] boxes = [[32, 32, 32, 16, 0.9f, 0.05f], [33, 32, 32, 16, 0.8f, 0.1f], [10, 20, 8, 8, 0.1f, 0.6f], [50, 40, 4, 4, 0.02f, 0.1f]];
        var values = new float[6 * boxes.Length];
        for (var i = 0; i < boxes.Length; i++)
        {
            for (var v = 0; v < 6; v++)
            {
                values[(v * boxes.Length) + i] = boxes[i][v]; // a row per coordinate and class
            }
        }
        var manifest = new OnnxManifest
        {
            Task = OnnxModel.Detection,
            Input = new OnnxTensorSpec("images"),
            Output = new OnnxTensorSpec("output0"),
            Image = new OnnxImageInput { Width = 64, Height = 64, Fit = "pad", Background = "#727272" },
            Labels = ["person", "dog"],
            Detection = new OnnxDetectionOutput { Layout = "yolov8", Confidence = 0.25, Iou = 0.5 },
        };
        await TestModels.RegisterAsync(Bucket, "detector", manifest, OnnxGraphs.FixedOutput(64, 64, [1, 6, boxes.Length], values));

        var (status, body) = await TestModels.PredictAsync(Bucket, "detector", SyntheticImages.Solid(200, 100, SKColors.Teal, SKEncodedImageFormat.Png), "image/png");

        Assert.True(status == 200, body.ToString());
        Assert.Equal("object-detection", body.GetProperty("task").GetString());
        var detections = body.GetProperty("detections").EnumerateArray().ToArray();
        Assert.Equal(["person", "dog"], detections.Select(d => d.GetProperty("label").GetString()));
        Assert.Equal(0.9, detections[0].GetProperty("score").GetDouble(), 5);
        // The person: input corners (16, 24) and (48, 40); less the padding (16 rows), over the scale (0.32).
        Assert.Equal([50, 25, 150, 75], detections[0].GetProperty("box").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 3)));
        // The dog: input (6, 16) to (14, 24): its top edge is the padding's, clipped to the image's first row.
        Assert.Equal([18.75, 0, 43.75, 25], detections[1].GetProperty("box").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 3)));

        var (_, strict) = await TestModels.PredictAsync(Bucket, "detector", SyntheticImages.Solid(200, 100, SKColors.Teal, SKEncodedImageFormat.Png), "image/png", "threshold=0.7");
        Assert.Single(strict.GetProperty("detections").EnumerateArray());
    }

    private const string PlanSpec = """
        {"columns": [{"name": "age", "kind": "numeric", "fitted": {"fill": 40, "mean": 40, "std": 12}},
                     {"name": "plan", "kind": "categorical", "fitted": {"categories": ["free", "pro"]}}]}
        """;

    [Fact]
    public async Task Json_records_go_through_the_manifests_feature_spec_into_one_run_of_the_graph()
    {
        // Features: age's z-score, then plan one-hot with <unknown>: [z, free, pro, unknown].
        float[] weights = [1, -1, /* free */ 0, 2, /* pro */ 2, 0, /* unknown */ 0, 0];
        var manifest = new OnnxManifest
        {
            Task = "multiclass",
            Input = new OnnxTensorSpec("features"),
            Output = new OnnxTensorSpec("scores"),
            Features = TestModels.Spec(PlanSpec),
            Labels = ["upgrade", "stay"],
        };
        await TestModels.RegisterAsync(Bucket, "churn", manifest, OnnxGraphs.Linear(4, weights, [0, 0]));
        var records = """{"records": [{"age": 52, "plan": "pro"}, {"age": 28, "plan": "free"}, {"age": null, "plan": "team"}], "topK": 2}""";

        var (status, body) = await TestModels.PredictAsync(Bucket, "churn", Encoding.UTF8.GetBytes(records), "application/json");

        Assert.True(status == 200, body.ToString());
        var predictions = body.GetProperty("predictions").EnumerateArray().ToArray();
        // Logits: [1 + 2, -1] for 52 on pro; [-1, 1 + 2] for 28 on free; [0, 0] for a missing age and an unknown plan.
        double Softmax(double a, double b) => Math.Exp(a) / (Math.Exp(a) + Math.Exp(b));
        Assert.Equal("upgrade", predictions[0].GetProperty("label").GetString());
        Assert.Equal(Softmax(3, -1), predictions[0].GetProperty("probability").GetDouble(), 6);
        Assert.Equal("stay", predictions[1].GetProperty("label").GetString());
        Assert.Equal(Softmax(3, -1), predictions[1].GetProperty("probability").GetDouble(), 6);
        Assert.Equal(0.5, predictions[2].GetProperty("probability").GetDouble(), 6);
    }

    [Fact]
    public async Task A_regression_graph_answers_values_and_a_record_with_a_bad_value_is_a_400_naming_it()
    {
        var manifest = new OnnxManifest
        {
            Task = "regression",
            Input = new OnnxTensorSpec("features"),
            Output = new OnnxTensorSpec("scores"),
            Features = TestModels.Spec(PlanSpec),
        };
        await TestModels.RegisterAsync(Bucket, "spend", manifest, OnnxGraphs.Linear(4, [12, 0, 5, 0], [100]));

        var (status, body) = await TestModels.PredictAsync(Bucket, "spend", """{"records": [{"age": 64, "plan": "pro"}]}"""u8.ToArray(), "application/json");
        var (badStatus, bad) = await TestModels.PredictAsync(Bucket, "spend", """{"records": [{"age": "old", "plan": "pro"}]}"""u8.ToArray(), "application/json");
        var (imageStatus, _) = await TestModels.PredictAsync(Bucket, "spend", SyntheticImages.Solid(8, 8, SKColors.Red, SKEncodedImageFormat.Png), "image/png");

        Assert.True(status == 200, body.ToString());
        Assert.Equal(12 * 2 + 5 + 100, body.GetProperty("values")[0].GetDouble(), 4); // (64 - 40) / 12 = 2
        Assert.Equal(400, badStatus);
        Assert.Contains("age", bad.ToString(), StringComparison.Ordinal);
        Assert.Equal(415, imageStatus);
    }

    [Fact]
    public async Task Registration_saves_the_optimised_graphs_and_serving_loads_the_best_its_machine_can()
    {
        var registered = await TestModels.RegisterAsync(Bucket, "colours", TestModels.Classifier, TestModels.ClassifierGraph);
        var version = Path.Combine(_folder, "models", "colours", registered.Version);
        var runner = new OnnxGraphRunner();

        Assert.Equal(runner.Runtime, registered.Optimized!.Runtime);
        Assert.Equal(runner.Machine, registered.Optimized.Machine);
        Assert.StartsWith("onnxruntime 1.", registered.Optimized.Machine, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(version, OnnxFiles.Portable)));
        Assert.True(File.Exists(Path.Combine(version, OnnxFiles.Native)));
        // A graph of a few weights has none worth mapping: no weights file, and the manifest says so.
        Assert.Null(registered.Optimized.WeightsSha256);
        Assert.False(File.Exists(Path.Combine(version, OnnxFiles.NativeWeights)));
        var manifestPath = Path.Combine(version, OnnxFiles.Manifest);
        var manifest = File.ReadAllText(manifestPath);
        Assert.Contains(registered.Optimized.NativeSha256, manifest, StringComparison.Ordinal);
        var image = SyntheticImages.Solid(16, 16, SKColors.Red, SKEncodedImageFormat.Png);
        var expected = (await TestModels.PredictAsync(Bucket, "colours", image, "image/png")).Body.GetProperty("predictions").ToString();

        // Each step takes away the form a machine would load, and spoils it, so that only the next form can answer.
        File.WriteAllBytes(Path.Combine(version, OnnxFiles.Graph), [1, 2, 3]);
        Assert.Equal(expected, (await TestModels.PredictAsync(Bucket, "colours", image, "image/png")).Body.GetProperty("predictions").ToString());
        File.WriteAllText(manifestPath, manifest = manifest.Replace(registered.Optimized.Machine, "onnxruntime 1.32.0 another-cpu", StringComparison.Ordinal));
        File.WriteAllBytes(Path.Combine(version, OnnxFiles.Native), [1, 2, 3]);
        Assert.Equal(expected, (await TestModels.PredictAsync(Bucket, "colours", image, "image/png")).Body.GetProperty("predictions").ToString());

        // Another runtime's graphs are not loaded: model.onnx is, and here it is spoiled, a 409 naming the model.
        File.WriteAllText(manifestPath, manifest.Replace($"\"{registered.Optimized.Runtime}\"", "\"onnxruntime 0.1.0\"", StringComparison.Ordinal));
        var (status, problem) = await TestModels.PredictAsync(Bucket, "colours", image, "image/png");
        Assert.Equal(409, status);
        Assert.Contains("colours", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
