using System.Net;
using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Gcp;

/// <summary>The real Native AOT binary on the Functions Framework contract: PORT, FUNCTION_TARGET, every path to the function.</summary>
public sealed class GcpFunctionTests : IAsyncLifetime
{
    // IAsyncLifetime, not IAsyncDisposable: xunit 2 does not call a test class's DisposeAsync, and the servers it started were left running.
    public Task InitializeAsync() => Task.CompletedTask;

    private readonly List<HttpProcess> _binaries = [];
    private readonly string _models = Directory.CreateTempSubdirectory("mlf-gcp-models-").FullName;

    private async Task<HttpClient> StartAsync(string target)
    {
        var binary = await GcpBinary.StartAsync(target, new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = _models });
        _binaries.Add(binary);
        return binary.Client;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/resize")]
    public async Task Http_resize_works_on_any_path(string path)
    {
        var client = await StartAsync("resize");

        using var response = await client.PostAsync($"{path}?width=224&height=224", new ByteArrayContent(File.ReadAllBytes(RepoPaths.ExifImage("Landscape_2"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pixels = Pixels.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((224, 224), (pixels.Width, pixels.Height));
    }

    [Fact]
    public async Task Each_answer_is_one_structured_log_line_cloud_logging_reads()
    {
        var client = await StartAsync("resize");

        using (await client.PostAsync("/?width=8", new ByteArrayContent(File.ReadAllBytes(RepoPaths.ExifImage("Landscape_2"))))) { }
        using (await client.PostAsync("/?width=8", new ByteArrayContent("not an image"u8.ToArray()))) { }

        var lines = await Eventually.Async(() => Task.FromResult(_binaries[0].Output.Where(l => l.StartsWith("{\"severity\"", StringComparison.Ordinal)).ToArray() is { Length: >= 2 } found ? found : null),
            "two structured log lines", TimeSpan.FromSeconds(10));
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.All(entries, e =>
        {
            Assert.Equal("resize", e.GetProperty("function").GetString());
            Assert.True(e.GetProperty("latencyMs").GetDouble() > 0);
            Assert.StartsWith("resize ", e.GetProperty("message").GetString());
        });
        Assert.Equal(["2xx", "4xx"], entries.Select(e => e.GetProperty("outcome").GetString()).Order());
        Assert.All(entries, e => Assert.Equal("INFO", e.GetProperty("severity").GetString()));
    }

    [Theory]
    [InlineData("/robots.txt")]
    [InlineData("/favicon.ico")]
    public async Task Robots_and_favicon_are_404(string path)
    {
        var client = await StartAsync("resize");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Predict_takes_the_model_from_the_path_and_a_fault_of_ours_is_a_500_marked_for_google()
    {
        // A champion pointing at a corrupt bundle: a stored document that is not usable, a 409 naming the model.
        Directory.CreateDirectory(Path.Combine(_models, "models", "corrupt", "v1"));
        File.WriteAllText(Path.Combine(_models, "models", "corrupt", "champion.json"), """{"version": "v1", "metric": "auc", "value": 1, "promotedAt": "2026-01-01T00:00:00Z"}""");
        File.WriteAllText(Path.Combine(_models, "models", "corrupt", "v1", "bundle.json"), "{ not a bundle");
        // A bucket that cannot be read at all (champion.json is a folder): our fault, not the client's.
        Directory.CreateDirectory(Path.Combine(_models, "models", "broken", "champion.json"));
        var client = await StartAsync("predict");

        using var missing = await client.PostAsync("/api/predict/walruses", new StringContent("""{"records": []}"""));
        using var corrupt = await client.PostAsync("/corrupt", new StringContent("""{"records": []}"""));
        using var broken = await client.PostAsync("/broken", new StringContent("""{"records": []}"""));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("walruses", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, corrupt.StatusCode);
        Assert.Contains("model-unusable", await corrupt.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
        Assert.Equal("error", broken.Headers.GetValues("X-Google-Status").Single());
        var problem = JsonDocument.Parse(await broken.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:mlfunctions:problem:internal-error", problem.GetProperty("type").GetString());
        Assert.DoesNotContain("   at ", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_target_refuses_to_start()
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Gcp");

        var result = await ProcessRunner.RunAsync("env", [$"PORT={LoopbackPort.Free()}", "FUNCTION_TARGET=nope", binary], TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FUNCTION_TARGET 'nope'", result.Error);
    }

    [Fact]
    public void The_readme_deploys_to_cloud_run_without_unauthenticated_access()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\\\n", " ", StringComparison.Ordinal);
        var deploys = readme.Split('\n').Where(line => line.StartsWith("gcloud run deploy", StringComparison.Ordinal)).ToArray();

        Assert.NotEmpty(deploys);
        Assert.All(deploys, line => Assert.Contains("--no-allow-unauthenticated", line, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        foreach (var binary in _binaries)
        {
            await binary.DisposeAsync();
        }
        Directory.Delete(_models, recursive: true);
    }
}
