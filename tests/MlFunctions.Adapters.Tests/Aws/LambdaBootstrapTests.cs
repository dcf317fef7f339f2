using System.Text;
using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>
/// The real AOT bootstrap under a Runtime API emulator, fed API Gateway payload 2.0 events: the exact
/// wire contract Lambda uses (Lambda itself cannot run here).
/// </summary>
public sealed class LambdaBootstrapTests : IAsyncLifetime
{
    private static readonly byte[] Photo = File.ReadAllBytes(RepoPaths.ExifImage("Landscape_6"));
    private LambdaRuntimeEmulator _emulator = null!;
    private BootstrapProcess _bootstrap = null!;

    public async Task InitializeAsync()
    {
        _emulator = await LambdaRuntimeEmulator.StartAsync();
        _bootstrap = await BootstrapProcess.StartAsync(_emulator, "resize");
    }

    private static string HttpEvent(byte[] body, string query, string contentType = "image/jpeg", Base64FormattingOptions base64 = Base64FormattingOptions.None, JsonSerializerOptions? json = null) => JsonSerializer.Serialize(new
    {
        version = "2.0",
        routeKey = "POST /api/resize",
        rawPath = "/api/resize",
        rawQueryString = query,
        headers = new Dictionary<string, string> { ["content-type"] = contentType, ["host"] = "abc.execute-api.eu-west-1.amazonaws.com" },
        requestContext = new { http = new { method = "POST", path = "/api/resize" }, requestId = "r-1" },
        body = Convert.ToBase64String(body, base64),
        isBase64Encoded = true,
    }, json);

    [Theory]
    [InlineData("escaped")]      // '+' as \u002B: what System.Text.Json writes by default
    [InlineData("raw")]          // '+' as it is: what API Gateway sends
    [InlineData("line breaks")]  // MIME-style lines (\r\n every 76 characters): whitespace base64 allows
    [InlineData("byte order mark")]  // a UTF-8 BOM before the JSON: the body is still found where it lies
    public async Task A_base64_body_is_read_however_its_json_string_is_written_and_the_answer_has_no_escapes(string form)
    {
        var json = form == "escaped" ? null : new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var lines = form == "line breaks" ? Base64FormattingOptions.InsertLineBreaks : Base64FormattingOptions.None;
        var request = HttpEvent(Photo, "width=64&height=64&fit=cover&format=png", base64: lines, json: json);
        request = form == "byte order mark" ? "\uFEFF" + request : request;

        var outcome = await _emulator.InvokeAsync(request);

        Assert.Equal(form == "escaped", request.Contains("\\u002B", StringComparison.Ordinal));
        Assert.False(outcome.IsError, outcome.Body);
        var response = JsonDocument.Parse(outcome.Body).RootElement;
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        // Base64 written straight into the JSON: no '+' escaped as \u002B (which made a tensor's answer 28% larger).
        Assert.DoesNotContain("\\u002B", outcome.Body, StringComparison.Ordinal);
        var pixels = Pixels.Decode(Convert.FromBase64String(response.GetProperty("body").GetString()!));
        Assert.Equal((64, 64), (pixels.Width, pixels.Height));
    }

    [Fact]
    public async Task A_base64_jpeg_comes_back_as_a_base64_224_square_jpeg()
    {
        var outcome = await _emulator.InvokeAsync(HttpEvent(Photo, "width=224&height=224&fit=cover"));

        Assert.False(outcome.IsError, outcome.Body);
        var response = JsonDocument.Parse(outcome.Body).RootElement;
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.True(response.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("image/jpeg", response.GetProperty("headers").GetProperty("content-type").GetString());
        var pixels = Pixels.Decode(Convert.FromBase64String(response.GetProperty("body").GetString()!));
        Assert.Equal((224, 224), (pixels.Width, pixels.Height));
    }

    [Fact]
    public async Task An_invalid_image_is_a_4xx_http_response_not_a_runtime_error()
    {
        var outcome = await _emulator.InvokeAsync(HttpEvent("not an image"u8.ToArray(), "width=10"));

        Assert.False(outcome.IsError);
        var response = JsonDocument.Parse(outcome.Body).RootElement;
        Assert.Equal(415, response.GetProperty("statusCode").GetInt32());
        Assert.False(response.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Contains("unsupported-image", response.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Each_answer_logs_one_line_of_embedded_metric_format_that_cloudwatch_would_accept()
    {
        await _emulator.InvokeAsync(HttpEvent(Photo, "width=32"));
        await _emulator.InvokeAsync(HttpEvent("not an image"u8.ToArray(), "width=10"));

        var emf = await Eventually.Async(() => Task.FromResult(_bootstrap.Output.Where(l => l.Contains("\"_aws\"", StringComparison.Ordinal)).ToArray() is { Length: >= 2 } lines ? lines : null),
            "two EMF lines", TimeSpan.FromSeconds(10));
        var outcomes = new List<string>();
        foreach (var line in emf)
        {
            var root = JsonDocument.Parse(line).RootElement;
            // The specification's required members: _aws.Timestamp (epoch milliseconds) and CloudWatchMetrics,
            // each directive with a Namespace, Dimensions (arrays of member names, at most 30) and Metrics
            // (a Name, a known Unit); every dimension a string member and every metric a number member of the root.
            var aws = root.GetProperty("_aws");
            Assert.InRange(aws.GetProperty("Timestamp").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            foreach (var directive in aws.GetProperty("CloudWatchMetrics").EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(directive.GetProperty("Namespace").GetString()));
                foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
                {
                    Assert.InRange(set.GetArrayLength(), 1, 30);
                    Assert.All(set.EnumerateArray(), d => Assert.Equal(JsonValueKind.String, root.GetProperty(d.GetString()!).ValueKind));
                }
                Assert.InRange(directive.GetProperty("Metrics").GetArrayLength(), 1, 100);
                foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
                {
                    Assert.Equal(JsonValueKind.Number, root.GetProperty(metric.GetProperty("Name").GetString()!).ValueKind);
                    Assert.Contains(metric.GetProperty("Unit").GetString(), new[] { "Milliseconds", "Count", "Seconds", "Bytes", "None" });
                }
            }
            Assert.Equal("resize", root.GetProperty("Function").GetString());
            outcomes.Add(root.GetProperty("Outcome").GetString()!);
        }
        Assert.Contains("2xx", outcomes);
        Assert.Contains("4xx", outcomes);
    }

    [Fact]
    public async Task A_body_marked_base64_that_is_not_is_an_invalid_event_named_as_such()
    {
        var request = HttpEvent(Photo, "width=32").Replace("\"body\":\"", "\"body\":\"*not base64*", StringComparison.Ordinal);

        var outcome = await _emulator.InvokeAsync(request);

        Assert.True(outcome.IsError);
        Assert.Equal("Runtime.InvalidEvent", outcome.ErrorType);
        Assert.Contains("base64", JsonDocument.Parse(outcome.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_the_handler_cannot_take_is_posted_to_error_and_the_next_invocation_succeeds()
    {
        var crash = await _emulator.InvokeAsync("[\"not\", \"an API Gateway event\"]");
        var next = await _emulator.InvokeAsync(HttpEvent(Photo, "width=32"));

        Assert.True(crash.IsError);
        Assert.Equal("Runtime.InvalidEvent", crash.ErrorType);
        Assert.Equal("application/vnd.aws.lambda.error+json", crash.ContentType);
        var error = JsonDocument.Parse(crash.Body).RootElement;
        Assert.Equal("Runtime.InvalidEvent", error.GetProperty("errorType").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("errorMessage").GetString()));
        Assert.Equal(JsonValueKind.Array, error.GetProperty("stackTrace").ValueKind);
        Assert.False(next.IsError, next.Body);
    }

    [Fact]
    public async Task Work_past_the_deadline_is_cancelled_and_reported_and_the_next_invocation_succeeds()
    {
        // A 3000-pixel-wide PNG takes far longer than the 60 ms this invocation is given.
        var slow = await _emulator.InvokeAsync(HttpEvent(Photo, "width=3000&format=png"), TimeSpan.FromMilliseconds(60));
        var next = await _emulator.InvokeAsync(HttpEvent(Photo, "width=32"));

        Assert.True(slow.IsError);
        Assert.Equal("Runtime.Timeout", slow.ErrorType);
        Assert.False(next.IsError, next.Body);
        // The cancelled resize had stopped before the next invocation was taken: they never ran side by side.
        await Task.Delay(200);
        var lines = _bootstrap.Output.ToArray();
        var stopped = Array.FindIndex(lines, l => l.Contains("cancelled at the deadline has stopped", StringComparison.Ordinal));
        var served = Array.FindLastIndex(lines, l => l.Contains("\"status\":200", StringComparison.Ordinal) || l.Contains("\"status\": 200", StringComparison.Ordinal));
        Assert.True(stopped >= 0, string.Join('\n', lines));
        Assert.True(served > stopped, string.Join('\n', lines));
    }

    [Fact]
    public async Task Logs_are_json_lines_with_the_request_id()
    {
        await _emulator.InvokeAsync(HttpEvent(Photo, "width=16"));
        await Task.Delay(200);

        var lines = _bootstrap.Output.ToArray();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => JsonDocument.Parse(line));
        Assert.Contains(lines, line => JsonDocument.Parse(line).RootElement.TryGetProperty("requestId", out _));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_below_lambdas_own_6_mb_payload_limit()
    {
        // The default limit (4 MiB) stays under Lambda's 6 MB payload once base64 has grown it by a third.
        Assert.True(Core.Contract.FunctionLimits.Default.MaxBodyBytes * 4 / 3 < 6_000_000);
        var tooLarge = new byte[Core.Contract.FunctionLimits.Default.MaxBodyBytes + 1];
        Photo.CopyTo(tooLarge, 0);

        var outcome = await _emulator.InvokeAsync(HttpEvent(tooLarge, "width=10"));

        Assert.False(outcome.IsError, outcome.Body);
        var response = JsonDocument.Parse(outcome.Body).RootElement;
        Assert.Equal(413, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", response.GetProperty("headers").GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task Request_bodies_and_secrets_are_never_logged()
    {
        const string secret = "sk-live-THIS-MUST-NOT-BE-LOGGED";
        var body = Encoding.UTF8.GetBytes($$"""{"scores": [[0.5]], "labels": ["{{secret}}"]}""");
        await _emulator.InvokeAsync(HttpEvent(body, "width=10&token=" + secret, "application/json"));
        await _emulator.InvokeAsync(HttpEvent("not an image"u8.ToArray(), "key=" + secret));
        await Task.Delay(200);

        Assert.NotEmpty(_bootstrap.Output);
        Assert.DoesNotContain(_bootstrap.Output, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_handler_is_an_init_error_and_the_process_exits()
    {
        await using var emulator = await LambdaRuntimeEmulator.StartAsync();
        await using var bootstrap = await BootstrapProcess.StartAsync(emulator, "no-such-function");

        var error = await emulator.InitError.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await bootstrap.WaitForExitAsync();

        Assert.Equal("Runtime.InitError", error.ErrorType);
        Assert.Contains("no-such-function", error.Body);
        Assert.NotEqual(0, bootstrap.ExitCode);
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _emulator.DisposeAsync();
    }
}
