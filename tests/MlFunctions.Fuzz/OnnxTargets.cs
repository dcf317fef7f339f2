using System.Text;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Testing;

namespace MlFunctions.Fuzz;

/// <summary>
/// The ONNX side of the semantic run: small graphs with known answers registered as models
/// ("colours", a classification head; "detector", a YOLOv8-shaped head), and hostile manifests imported
/// against them: an import is registered or rejected with a status, never a crash.
/// </summary>
internal static class OnnxTargets
{
    private static readonly float[] Boxes = [.. Enumerable.Range(0, 6 * 8).Select(i => (float)(i % 7) * 9)];

    private static byte[] Graph(string name) => name switch
    {
        "colours-head" => OnnxGraphs.ClassificationHead(16, 16, [4, -2, 0, -1, 3, 1, -3, 0, 4], [0.1f, 0, -0.1f]),
        "detector-head" => OnnxGraphs.FixedOutput(64, 64, [1, 6, 8], Boxes),
        _ => OnnxGraphs.Linear(4, [1, -1, 0, 2, 2, 0, 0, 0], [0, 0]),
    };

    public static async Task RegisterAsync(IObjectStore bucket, OnnxRegistration registration)
    {
        var registry = new ObjectModelStore(bucket);
        await registration.RegisterAsync(registry, new OnnxManifest
        {
            Name = "colours", Task = OnnxModel.Classification, Input = new OnnxTensorSpec("image"), Output = new OnnxTensorSpec("logits"),
            Image = new OnnxImageInput { Width = 16, Height = 16, Fit = "fill" }, Labels = ["warm", "leafy", "cold"],
        }, Graph("colours-head"), null, CancellationToken.None);
        await registration.RegisterAsync(registry, new OnnxManifest
        {
            Name = "detector", Task = OnnxModel.Detection, Input = new OnnxTensorSpec("images"), Output = new OnnxTensorSpec("output0"),
            Image = new OnnxImageInput { Width = 64, Height = 64, Fit = "pad" }, Labels = ["person", "dog"],
        }, Graph("detector-head"), null, CancellationToken.None);
    }

    /// <summary>Imports the case's manifest with the graph it names: 200 when registered, 400 when rejected with a status; anything else is a finding.</summary>
    public static async Task<(int Status, string? Fault)> ImportAsync(IObjectStore bucket, OnUploadFunction onUpload, SemanticCase c)
    {
        var name = $"m{Guid.NewGuid():N}";
        await bucket.WriteAsync($"imports/fuzzed/{name}.onnx", Graph(c.Model!), "application/octet-stream", WriteCondition.Always, CancellationToken.None).ConfigureAwait(false);
        await bucket.WriteAsync($"imports/fuzzed/{name}.json", c.Body, "application/json", WriteCondition.Always, CancellationToken.None).ConfigureAwait(false);
        var outcome = await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, $"imports/fuzzed/{name}.json", c.Body.Length, null), bucket, CancellationToken.None).ConfigureAwait(false);
        var status = await bucket.ReadAsync($"models/fuzzed/imports/{name}.status.json", CancellationToken.None).ConfigureAwait(false);
        return status is null ? (500, $"no status for the import: {outcome.Result}: {outcome.Detail}")
            : outcome.Result == UploadResults.Processed ? (200, null)
            : outcome.Result == UploadResults.Rejected ? (400, null)
            : (500, $"{outcome.Result}: {Encoding.UTF8.GetString(status.Content)}");
    }
}
