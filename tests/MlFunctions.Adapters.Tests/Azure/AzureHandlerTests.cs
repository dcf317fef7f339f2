using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Azure;

/// <summary>
/// The real Native AOT custom handler, as the Functions host runs it: on FUNCTIONS_CUSTOMHANDLER_PORT,
/// polled on GET / for readiness, with HTTP requests forwarded unchanged (the host itself cannot run here).
/// </summary>
public sealed class AzureHandlerTests : IAsyncLifetime
{
    private Process _handler = null!;
    private readonly HttpClient _client = new();
    private TimeSpan _readyAfter;

    public async Task InitializeAsync()
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Azure");
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _client.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var clock = Stopwatch.StartNew();
        _handler = Process.Start(start)!;
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var ready = await _client.GetAsync("/");
                if (ready.IsSuccessStatusCode)
                {
                    _readyAfter = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5);
            }
        }
        throw new TimeoutException("The handler never answered GET /.");
    }

    [Fact]
    public void The_handler_answers_readiness_within_a_second_of_its_start() =>
        Assert.True(_readyAfter < TimeSpan.FromSeconds(1), $"ready after {_readyAfter.TotalMilliseconds:F0} ms");

    [Fact]
    public async Task A_forwarded_http_resize_works()
    {
        using var response = await _client.PostAsync("/api/resize?width=224&height=224&fit=cover&code=function-key",
            new ByteArrayContent(File.ReadAllBytes(RepoPaths.ExifImage("Portrait_7"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pixels = Pixels.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((224, 224), (pixels.Width, pixels.Height));
    }

    [Fact]
    public async Task Bad_input_and_unknown_paths_are_problem_json()
    {
        using var bad = await _client.PostAsync("/api/resize?width=10", new StringContent("not an image"));
        using var missing = await _client.PostAsync("/api/nothing", new StringContent(""));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Function_json_is_generated_for_every_catalog_function_with_its_route()
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Azure");
        var folder = Directory.CreateTempSubdirectory("mlf-azure-functions-").FullName;
        try
        {
            var result = await ProcessRunner.RunAsync(binary, ["function-json", folder], TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, result.Error);

            foreach (var function in TestCatalog.Instance.Functions)
            {
                var bindings = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, function.Name, "function.json"))).RootElement.GetProperty("bindings");
                var trigger = bindings.EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
                Assert.Equal("in", trigger.GetProperty("direction").GetString());
                Assert.Equal("function", trigger.GetProperty("authLevel").GetString());
                Assert.Equal([function.Method.ToLowerInvariant()], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
                Assert.Equal("/api/" + trigger.GetProperty("route").GetString(), function.Route);
                Assert.Contains(bindings.EnumerateArray(), b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "out");
            }
            Assert.Equal(TestCatalog.Instance.Functions.Count, Directory.GetDirectories(folder).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Host_json_runs_this_handler_with_forwarded_http_and_the_v4_bundle()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json"))).RootElement;

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("[4.*, 5.0.0)", host.GetProperty("extensionBundle").GetProperty("version").GetString());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.GetProperty("extensionBundle").GetProperty("id").GetString());
        var handler = host.GetProperty("customHandler");
        Assert.Equal("MlFunctions.Azure", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("api", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _handler.Kill();
        await _handler.WaitForExitAsync();
        _handler.Dispose();
    }
}
