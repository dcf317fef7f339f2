using System.Net.Http.Headers;
using System.Text.Json;
using MlFunctions.Adapters.Tests.Aws;
using MlFunctions.Adapters.Tests.Azure;
using MlFunctions.Adapters.Tests.Gcp;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Adapters.Tests.Onnx;

/// <summary>
/// One ONNX image classifier, registered once in a bucket folder, asked about the same image through
/// every real binary: the AOT Lambda bootstrap (Runtime API), the AOT Azure custom handler, the AOT
/// Google binary, and the local host (JIT). All answer the same labels and probabilities: the head's
/// softmax, computed here independently.
/// </summary>
public sealed class ClassifierEverywhereTests : IAsyncLifetime
{
    private static readonly SKColor Colour = new(230, 60, 40);

    private readonly string _bucket = Directory.CreateTempSubdirectory("mlf-onnx-everywhere-").FullName;
    private readonly byte[] _image = SyntheticImages.Solid(90, 60, Colour, SKEncodedImageFormat.Jpeg);
    private LambdaRuntimeEmulator _emulator = null!;
    private BootstrapProcess _lambda = null!;
    private HttpProcess _azure = null!;
    private HttpProcess _google = null!;

    public async Task InitializeAsync()
    {
        await TestModels.RegisterAsync(new LocalFolderStore(_bucket), "colours", TestModels.Classifier, TestModels.ClassifierGraph);
        var settings = new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = _bucket };
        _emulator = await LambdaRuntimeEmulator.StartAsync();
        _lambda = await BootstrapProcess.StartAsync(_emulator, "predict", settings);
        _azure = await AzureHandlerProcess.StartAsync(settings);
        _google = await GcpBinary.StartAsync("predict", settings);
    }

    public async Task DisposeAsync()
    {
        await _lambda.DisposeAsync();
        await _emulator.DisposeAsync();
        await _azure.DisposeAsync();
        await _google.DisposeAsync();
        Directory.Delete(_bucket, recursive: true);
    }

    [Fact]
    public async Task Lambda_azure_google_and_the_local_host_answer_the_same_labels_and_probabilities()
    {
        var answers = new Dictionary<string, JsonElement>
        {
            ["lambda"] = await LambdaAsync(),
            ["azure"] = await PostAsync(_azure.Client, "/api/predict/colours?topK=3"),
            ["google"] = await PostAsync(_google.Client, "/api/predict/colours?topK=3"),
            ["local"] = await LocalAsync(),
        };

        // The JPEG's decoded pixels, averaged: what the head sees (JPEG moves a solid colour's values a little).
        using var decoded = SKBitmap.Decode(_image);
        var mean = new SKColor(Mean(decoded, p => p.Red), Mean(decoded, p => p.Green), Mean(decoded, p => p.Blue));
        var expected = TestModels.ExpectedProbabilities(mean);
        var reference = answers["local"].GetProperty("predictions")[0];
        foreach (var (host, answer) in answers)
        {
            var prediction = answer.GetProperty("predictions")[0];
            Assert.Equal("warm", prediction.GetProperty("label").GetString());
            Assert.Equal(reference.GetProperty("top").ToString(), prediction.GetProperty("top").ToString()); // the same labels and probabilities, to the digit
            foreach (var entry in prediction.GetProperty("top").EnumerateArray())
            {
                var index = Array.IndexOf(TestModels.Labels, entry.GetProperty("label").GetString());
                Assert.True(Math.Abs(expected[index] - entry.GetProperty("probability").GetDouble()) < 0.01, $"{host}: {entry}");
            }
        }
    }

    private static byte Mean(SKBitmap bitmap, Func<SKColor, byte> channel) =>
        (byte)Math.Round(bitmap.Pixels.Average(p => (double)channel(p)));

    private async Task<JsonElement> PostAsync(HttpClient client, string path)
    {
        using var body = new ByteArrayContent(_image);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await client.PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<JsonElement> LambdaAsync() => ImagePredictEvent.InvokeAsync(_emulator, "colours", _image, "topK=3");

    private async Task<JsonElement> LocalAsync()
    {
        await using var app = MlFunctions.Local.LocalHost.Build(["--port", "0", "--bucket", _bucket]);
        await app.StartAsync();
        var address = ((Microsoft.AspNetCore.Hosting.Server.IServer)app.Services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer))!)
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        return await PostAsync(client, "/api/predict/colours?topK=3");
    }
}
