using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Local;
using MlFunctions.Onnx;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Onnx;

/// <summary>
/// Registering an ONNX model by dropping it under imports/&lt;model&gt;/: the real ResNet18 graphs from their
/// package, a manifest that fits them and manifests that do not, on the local folder and on s3rver.
/// </summary>
public sealed class ModelImportTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlf-imports-").FullName;

    private const string Fits = """
        {"task": "image-embedding", "prepare": {"input": "OriginalInput", "output": "PreprocessedInput"},
         "input": {"name": "Input247"}, "output": {"name": "Pooling395_Output_0"},
         "image": {"width": 224, "height": 224, "scale": 1}, "normalize": true}
        """;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<UploadOutcome> ImportAsync(IObjectStore bucket, string manifest, string name = "r18")
    {
        await bucket.WriteAsync($"imports/pets/{name}.onnx", File.ReadAllBytes(SampleImageModel.GraphPath), "application/octet-stream", WriteCondition.Always, CancellationToken.None);
        await bucket.WriteAsync($"imports/pets/{name}.prepare.onnx", File.ReadAllBytes(SampleImageModel.PreparePath), "application/octet-stream", WriteCondition.Always, CancellationToken.None);
        var json = Encoding.UTF8.GetBytes(manifest);
        await bucket.WriteAsync($"imports/pets/{name}.json", json, "application/json", WriteCondition.Always, CancellationToken.None);
        var models = new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero, graphs: new OnnxGraphRunner());
        var onUpload = new OnUploadFunction(FunctionLimits.Default, models, ImageVariant.Parse(null, FunctionLimits.Default));
        return await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, $"imports/pets/{name}.json", json.Length, null), bucket, CancellationToken.None);
    }

    private static async Task<JsonElement> StatusAsync(IObjectStore bucket, string name = "r18") =>
        JsonDocument.Parse((await bucket.ReadAsync($"models/pets/imports/{name}.status.json", CancellationToken.None))!.Content).RootElement;

    public static TheoryData<string> Stores => ["folder", "s3"];

    private async Task<IObjectStore> BucketAsync(string kind) => kind == "folder" ? new LocalFolderStore(_folder) : await s3.NewBucketAsync();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_fitting_import_becomes_a_version_and_the_champion_and_predict_serves_it(string kind)
    {
        var bucket = await BucketAsync(kind);

        var outcome = await ImportAsync(bucket, Fits);

        Assert.Equal(UploadResults.Processed, outcome.Result);
        var status = await StatusAsync(bucket);
        Assert.Equal("registered", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("champion").GetBoolean());
        var version = status.GetProperty("version").GetString()!;
        var champion = await new ObjectModelStore(bucket).ReadChampionAsync("pets", CancellationToken.None);
        Assert.Equal(version, champion!.Version);

        // The native graph keeps its weights apart (what a cold start maps): beside it, as the manifest says.
        var manifest = await new ObjectModelStore(bucket).ReadOnnxManifestAsync("pets", version, CancellationToken.None);
        var weights = await bucket.ReadAsync(BucketLayout.Version("pets", version, OnnxFiles.NativeWeights), CancellationToken.None, ObjectModelStore.MaxGraphBytes);
        Assert.Equal(manifest!.Optimized!.WeightsSha256, Convert.ToHexStringLower(SHA256.HashData(weights!.Content)));
        var native = await bucket.ReadAsync(BucketLayout.Version("pets", version, OnnxFiles.Native), CancellationToken.None, ObjectModelStore.MaxGraphBytes);
        Assert.True(native!.Content.Length < weights.Content.Length / 100, $"the native graph has {native.Content.Length} bytes beside {weights.Content.Length} of weights");

        // Served: from the folder, the weights file itself is mapped; from s3rver, a temporary copy of it.
        var (answered, body) = await PredictAsync(bucket);
        Assert.Equal(200, answered);
        Assert.Equal(version, body.GetProperty("version").GetString());
        Assert.Equal(512, body.GetProperty("embedding").GetArrayLength());
    }

    private static Task<(int Status, JsonElement Body)> PredictAsync(IObjectStore bucket) => TestModels.PredictAsync(bucket, "pets", SampleImage.Png, "image/png");

    [Fact]
    public async Task A_version_whose_native_graph_holds_its_weights_still_loads_and_missing_weights_are_a_409_naming_the_file()
    {
        var bucket = new LocalFolderStore(_folder);
        await ImportAsync(bucket, Fits);
        var version = (await StatusAsync(bucket)).GetProperty("version").GetString()!;
        var folder = Path.Combine(_folder, "models", "pets", version);
        var (_, expected) = await PredictAsync(bucket);

        File.Delete(Path.Combine(folder, OnnxFiles.NativeWeights));
        var (status, problem) = await PredictAsync(bucket);
        Assert.Equal(409, status);
        Assert.Contains(OnnxFiles.NativeWeights, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // As registered before the weights were kept apart: a native graph that holds them, and no weightsSha256.
        var manifestPath = Path.Combine(folder, OnnxFiles.Manifest);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        Assert.NotNull(manifest["optimized"]!["weightsSha256"]);
        manifest["optimized"]!.AsObject().Remove("weightsSha256");
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        using (var options = new Microsoft.ML.OnnxRuntime.SessionOptions { OptimizedModelFilePath = Path.Combine(folder, OnnxFiles.Native) })
        using (new Microsoft.ML.OnnxRuntime.InferenceSession(SampleImageModel.GraphPath, options))
        {
        }
        var (oldStatus, old) = await PredictAsync(bucket);
        Assert.Equal(200, oldStatus);
        Assert.Equal(expected.GetProperty("embedding").ToString(), old.GetProperty("embedding").ToString());
    }

    [Theory]
    // Found by the semantic fuzzer: a required member given as JSON null crashed the import (a NullReferenceException) instead of rejecting it.
    [InlineData("""{"task": "image-embedding", "input": null, "output": {"name": "Pooling395_Output_0"}, "image": {}}""", "needs 'input' (or, for a graph taking a column an input, 'columns') and 'output'")]
    [InlineData("""{"task": "image-embedding", "input": {"name": "images"}, "output": {"name": "Pooling395_Output_0"}, "image": {}}""", "has no input 'images'; its inputs are: Input247")]
    [InlineData("""{"task": "image-classification", "labels": ["cat", "dog"], "prepare": {"input": "OriginalInput", "output": "PreprocessedInput"}, "input": {"name": "Input247"}, "output": {"name": "Pooling395_Output_0"}, "image": {}}""", "512 values but the manifest has 2 labels")]
    [InlineData("""{"task": "image-embedding", "prepare": {"input": "OriginalInput", "output": "PreprocessedInput"}, "input": {"name": "Input247"}, "output": {"name": "Pooling395_Output_0"}, "image": {"width": 300}}""", "[1,3,224,300] tensor but the graph's input 'OriginalInput' is [1,3,224,224]")]
    [InlineData("""{"task": "image-embedding", "input": {"name": "Input247"}, "output": {"name": "Pooling395_Output_0"}, "image": {}, "surprise": 1}""", "surprise")]
    public async Task A_manifest_that_does_not_fit_the_graph_is_rejected_with_a_status_naming_the_mismatch_and_nothing_registered(string manifest, string says)
    {
        var bucket = new LocalFolderStore(_folder);

        var outcome = await ImportAsync(bucket, manifest);

        Assert.Equal(UploadResults.Rejected, outcome.Result);
        var status = await StatusAsync(bucket);
        Assert.Equal("rejected", status.GetProperty("state").GetString());
        Assert.Contains(says, status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Null(await new ObjectModelStore(bucket).ReadChampionAsync("pets", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(_folder, "model.json", SearchOption.AllDirectories));
    }
}
