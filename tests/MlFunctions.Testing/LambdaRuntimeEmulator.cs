using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MlFunctions.Testing;

/// <summary>What a runtime posted back for one invocation: its response, or an error report.</summary>
public sealed record LambdaOutcome(bool IsError, string Body, string? ErrorType, string? ContentType);

/// <summary>
/// The Lambda Runtime API (2018-06-01) on 127.0.0.1, as AWS's runtime interface emulator serves it:
/// events queued by <see cref="InvokeAsync"/> go to the runtime's next call with a request id and a
/// deadline, and what it posts to response or error completes the invocation.
/// </summary>
public sealed class LambdaRuntimeEmulator : IAsyncDisposable
{
    private readonly Channel<(string Id, string Event, DateTimeOffset Deadline)> _events = Channel.CreateUnbounded<(string, string, DateTimeOffset)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<LambdaOutcome>> _outcomes = new();
    private readonly WebApplication _app;

    private LambdaRuntimeEmulator(WebApplication app) => _app = app;

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; private set; } = "";

    public TaskCompletionSource<LambdaOutcome> InitError { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<LambdaRuntimeEmulator> StartAsync()
    {
        var app = LoopbackServer.Build();
        var emulator = new LambdaRuntimeEmulator(app);
        app.MapGet("/2018-06-01/runtime/invocation/next", emulator.NextAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id, HttpRequest request) => emulator.CompleteAsync(id, request, isError: false));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id, HttpRequest request) => emulator.CompleteAsync(id, request, isError: true));
        app.MapPost("/2018-06-01/runtime/init/error", async (HttpRequest request) =>
        {
            emulator.InitError.TrySetResult(await ReadAsync(request, isError: true));
            return Results.Accepted();
        });
        app.MapGet("/ready", () => Results.Ok());
        var url = await LoopbackServer.StartAsync(app);
        emulator.Address = $"{url.Host}:{url.Port}";
        // One request through the pipeline before any runtime is started, so that building it (routing,
        // the first connection) is not timed as part of a cold start.
        using var http = new HttpClient();
        using var ready = await http.GetAsync($"http://{emulator.Address}/ready");
        return emulator;
    }

    /// <summary>Queues an event and waits for the runtime's answer; the deadline is now plus <paramref name="timeout"/> (30 s by default).</summary>
    public async Task<LambdaOutcome> InvokeAsync(string eventJson, TimeSpan? timeout = null)
    {
        var id = Guid.NewGuid().ToString();
        var outcome = _outcomes.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await _events.Writer.WriteAsync((id, eventJson, DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30))));
        return await outcome.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task NextAsync(HttpContext context)
    {
        var (id, json, deadline) = await _events.Reader.ReadAsync(context.RequestAborted);
        context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:emulated";
        context.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-00000000-000000000000000000000000;Sampled=0";
        context.Response.ContentType = "application/json";
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    private async Task<IResult> CompleteAsync(string id, HttpRequest request, bool isError)
    {
        if (!_outcomes.TryGetValue(id, out var outcome))
        {
            return Results.BadRequest(); // the real API answers 400 for an unknown request id
        }
        outcome.TrySetResult(await ReadAsync(request, isError));
        return Results.Accepted();
    }

    private static async Task<LambdaOutcome> ReadAsync(HttpRequest request, bool isError)
    {
        using var reader = new StreamReader(request.Body);
        return new LambdaOutcome(isError, await reader.ReadToEndAsync(), request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault(), request.ContentType);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
