using System.Text.Json;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Onnx;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Onnx;

/// <summary>Small ONNX models with answers known in advance (<see cref="OnnxGraphs"/>), registered as imports are, and served in process.</summary>
internal static class TestModels
{
    /// <summary>Channel means times these weights: red votes "warm", blue votes "cold", green "leafy".</summary>
    public static readonly float[] Weights = [4, -2, 0, /* green */ -1, 3, 1, /* blue */ -3, 0, 4];

    public static readonly float[] Bias = [0.1f, 0, -0.1f];

    public static readonly string[] Labels = ["warm", "leafy", "cold"];

    public static OnnxManifest Classifier => new()
    {
        Task = OnnxModel.Classification,
        Input = new OnnxTensorSpec("image"),
        Output = new OnnxTensorSpec("logits"),
        Image = new OnnxImageInput { Width = 16, Height = 16, Fit = "fill" },
        Labels = Labels,
    };

    public static byte[] ClassifierGraph => OnnxGraphs.ClassificationHead(16, 16, Weights, Bias);

    /// <summary>The head's softmax for an image of one colour (its channel means are the colour / 255).</summary>
    public static double[] ExpectedProbabilities(SkiaSharp.SKColor colour)
    {
        double[] means = [colour.Red / 255.0, colour.Green / 255.0, colour.Blue / 255.0];
        var logits = Enumerable.Range(0, 3).Select(k => Bias[k] + Enumerable.Range(0, 3).Sum(c => means[c] * Weights[(c * 3) + k])).ToArray();
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }

    public static async Task<OnnxManifest> RegisterAsync(IObjectStore bucket, string model, OnnxManifest manifest, byte[] graph)
    {
        var registration = new OnnxRegistration(FunctionLimits.Default, new OnnxGraphRunner());
        var (registered, _) = await registration.RegisterAsync(new ObjectModelStore(bucket), manifest with { Name = model }, graph, null, CancellationToken.None);
        return registered;
    }

    public static async Task<(int Status, JsonElement Body)> PredictAsync(IObjectStore bucket, string model, byte[] body, string contentType, string query = "")
    {
        var catalog = FunctionCatalog.Create(FunctionLimits.Default, new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero, graphs: new OnnxGraphRunner()), bucket);
        var answer = await new FunctionPipeline(catalog).InvokeAsync(catalog.Find("predict")!, new FunctionRequest
        {
            Method = "POST", Path = $"/api/predict/{model}", Body = body,
            Query = FunctionRequest.ParseQuery(query),
            RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", model)]),
            Headers = FunctionRequest.Map([KeyValuePair.Create("Content-Type", contentType)]),
        }, CancellationToken.None);
        return (answer.Status, JsonDocument.Parse(answer.Body).RootElement.Clone());
    }

    public static FeatureSpec Spec(string json) => FeatureSpecJson.Read(json);
}
