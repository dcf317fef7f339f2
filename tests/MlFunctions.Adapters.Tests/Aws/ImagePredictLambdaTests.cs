using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MlFunctions.Core.Storage;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>An image predicted by the ONNX sample model through the real AOT bootstrap gives what the local host (JIT) gives, both loading the graph optimised for this machine.</summary>
public sealed class ImagePredictLambdaTests : IAsyncLifetime
{
    private readonly string _bucket = Directory.CreateTempSubdirectory("mlf-onnx-lambda-").FullName;
    private LambdaRuntimeEmulator _emulator = null!;
    private BootstrapProcess _bootstrap = null!;

    public async Task InitializeAsync()
    {
        var store = new LocalFolderStore(_bucket);
        await SampleImageModel.EnsureAsync(store, new Core.Models.Onnx.OnnxRegistration(Core.Contract.FunctionLimits.Default, new MlFunctions.Onnx.OnnxGraphRunner()), NullLogger.Instance, CancellationToken.None);
        // Only the graph optimised for this machine can answer: the AOT build must name the machine as the
        // JIT build that registered it does (it named an AVX-512 CPU differently, and optimised again at every cold start).
        var version = (await new Core.Models.Store.ObjectModelStore(store).ReadChampionAsync(SampleImageModel.Name, CancellationToken.None))!.Version;
        foreach (var other in new[] { Core.Models.Onnx.OnnxFiles.Graph, Core.Models.Onnx.OnnxFiles.Portable })
        {
            File.WriteAllBytes(store.PathOf(BucketLayout.Version(SampleImageModel.Name, version, other)), [1, 2, 3]);
        }
        _emulator = await LambdaRuntimeEmulator.StartAsync();
        _bootstrap = await BootstrapProcess.StartAsync(_emulator, "predict", new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = _bucket });
    }

    [Fact]
    public async Task The_aot_bootstrap_embeds_an_image_as_the_local_host_does()
    {
        var photo = File.ReadAllBytes(RepoPaths.ExifImage("Landscape_6"));
        var aot = (await ImagePredictEvent.InvokeAsync(_emulator, "resnet18", photo)).GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        await using var local = new LocalImagePredictor(_bucket);
        var jit = await local.EmbedAsync(photo);

        Assert.Equal(512, aot.Length);
        Assert.True(aot.Zip(jit).Max(p => Math.Abs(p.First - p.Second)) < 1e-5, "the AOT bootstrap's embedding differs from the local host's");
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _emulator.DisposeAsync();
        Directory.Delete(_bucket, recursive: true);
    }

    /// <summary>The same bucket served by the local host, in process.</summary>
    private sealed class LocalImagePredictor(string bucket) : IAsyncDisposable
    {
        private readonly Microsoft.AspNetCore.Builder.WebApplication _app = LocalHost.Build(["--port", "0", "--bucket", bucket]);

        public async Task<float[]> EmbedAsync(byte[] photo)
        {
            await _app.StartAsync();
            var address = ((Microsoft.AspNetCore.Hosting.Server.IServer)_app.Services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer))!)
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            using var body = new ByteArrayContent(photo);
            body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var response = await client.PostAsync("/api/predict/resnet18", body);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return json.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
