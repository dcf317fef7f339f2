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
    private HttpProcess _handler = null!;

    public async Task InitializeAsync() => _handler = await AzureHandlerProcess.StartAsync();

    [Fact]
    public void The_handler_answers_readiness_within_a_second_of_its_start() =>
        Assert.True(_handler.ReadyAfter < TimeSpan.FromSeconds(1), $"ready after {_handler.ReadyAfter.TotalMilliseconds:F0} ms");

    [Fact]
    public async Task A_forwarded_http_resize_works()
    {
        using var response = await _handler.Client.PostAsync("/api/resize?width=224&height=224&fit=cover&code=function-key",
            new ByteArrayContent(File.ReadAllBytes(RepoPaths.ExifImage("Portrait_7"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pixels = Pixels.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((224, 224), (pixels.Width, pixels.Height));
    }

    [Fact]
    public async Task Bad_input_and_unknown_paths_are_problem_json()
    {
        using var bad = await _handler.Client.PostAsync("/api/resize?width=10", new StringContent("not an image"));
        using var missing = await _handler.Client.PostAsync("/api/nothing", new StringContent(""));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Function_json_is_generated_for_every_catalog_function_with_its_route()
    {
        using var generated = await GeneratedFunctionJson.WriteAsync();

        foreach (var function in TestCatalog.Instance.Functions)
        {
            var bindings = generated.Bindings(function.Name);
            var trigger = bindings.EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal("in", trigger.GetProperty("direction").GetString());
            // The registry's writes take the host's admin (master) key; a function key is refused by the host.
            Assert.Equal(function.Admin ? "admin" : "function", trigger.GetProperty("authLevel").GetString());
            Assert.Equal([function.Method.ToLowerInvariant()], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal("/api/" + trigger.GetProperty("route").GetString(), function.Route);
            Assert.Contains(bindings.EnumerateArray(), b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "out");
        }
        var onUpload = generated.Bindings("on-upload")[0];
        // Event Grid: the event carries the blob's name and size, never its bytes.
        Assert.Equal("eventGridTrigger", onUpload.GetProperty("type").GetString());
        Assert.Equal("in", onUpload.GetProperty("direction").GetString());
        Assert.False(onUpload.TryGetProperty("dataType", out _));
        // The hourly drift job: a timer trigger the handler serves at POST /drift-schedule.
        var timer = generated.Bindings("drift-schedule")[0];
        Assert.Equal(("timerTrigger", "0 0 * * * *"), (timer.GetProperty("type").GetString(), timer.GetProperty("schedule").GetString()));
        Assert.Equal(TestCatalog.Instance.Functions.Count + 2, generated.Functions.Length);
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

    public async Task DisposeAsync() => await _handler.DisposeAsync();
}
