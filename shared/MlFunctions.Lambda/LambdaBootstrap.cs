using System.Diagnostics;
using System.Text.Json;

namespace MlFunctions.Lambda;

/// <summary>
/// The Runtime API loop: take an event, run the handler, post the response. An event the handler does
/// not take, work past the deadline, or a handler fault is posted to /error; the loop then goes on to
/// the next event, so one bad invocation never takes the process down.
/// </summary>
public sealed class LambdaBootstrap(RuntimeApiClient runtime, ILambdaHandler handler)
{
    // Time kept back before the deadline to post the error report before Lambda stops the sandbox.
    private static readonly TimeSpan ReportMargin = TimeSpan.FromMilliseconds(50);

    // How long work cancelled at the deadline may take to stop before the process exits instead.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var invocation = await runtime.NextAsync(stopping).ConfigureAwait(false);
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
            await HandleAsync(invocation, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Reports a failed initialisation to the Runtime API (the process should then exit).</summary>
    public static Task ReportInitErrorAsync(RuntimeApiClient runtime, string message) =>
        runtime.ReportInitErrorAsync(JsonSerializer.SerializeToUtf8Bytes(new LambdaError(message, "Runtime.InitError", []), LambdaJsonContext.Default.LambdaError),
            "Runtime.InitError", CancellationToken.None);

    private async Task HandleAsync(Invocation invocation, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        Task<LambdaResult>? work = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(Max(invocation.Deadline - DateTimeOffset.UtcNow - ReportMargin, TimeSpan.Zero));
        try
        {
            // Handlers may do their work synchronously and never look at the token: on the thread pool,
            // the wait is what the deadline cancels, and the loop is free to report and go on.
            work = Task.Run(() => handler.HandleAsync(invocation.Event, deadline.Token), deadline.Token);
            var result = await work.WaitAsync(deadline.Token).ConfigureAwait(false);
            await runtime.RespondAsync(invocation.RequestId, result.Body, stopping).ConfigureAwait(false);
            JsonLog.Write("INFO", result.Note, invocation.RequestId, handler.Name, result.Status, clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            await ReportAsync(invocation, "Runtime.Timeout", $"'{handler.Name}' did not finish before the invocation's deadline.", clock).ConfigureAwait(false);
            await StopAsync(work, invocation, clock).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            await ReportAsync(invocation, "Runtime.InvalidEvent", $"The event is not {handler.Accepts}: {e.Message}", clock).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of ours or of a service we call (a store that keeps failing): Lambda may retry the event.
            await ReportAsync(invocation, "Runtime.HandlerFailed", $"{e.GetType().Name}: {e.Message}", clock).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The next invocation starts only once the cancelled one has stopped, so the two never run (or write to
    /// the bucket) at once; work that ignores its token past <see cref="StopGrace"/> ends the process, and
    /// Lambda starts a fresh runtime for the next event.
    /// </summary>
    private async Task StopAsync(Task? work, Invocation invocation, Stopwatch clock)
    {
        if (work is null)
        {
            return;
        }
        try
        {
            await work.WaitAsync(StopGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            JsonLog.Write("ERROR", $"'{handler.Name}' went on past its deadline and did not stop within {StopGrace.TotalSeconds:0} s: exiting, so that no next invocation runs beside it",
                invocation.RequestId, handler.Name, milliseconds: clock.Elapsed.TotalMilliseconds);
            Environment.Exit(3);
        }
        catch (Exception)
        {
            // Cancelled or failed: either way it has stopped.
        }
        JsonLog.Write("INFO", "the work cancelled at the deadline has stopped", invocation.RequestId, handler.Name, milliseconds: clock.Elapsed.TotalMilliseconds);
    }

    private async Task ReportAsync(Invocation invocation, string type, string message, Stopwatch clock)
    {
        var error = JsonSerializer.SerializeToUtf8Bytes(new LambdaError(message, type, []), LambdaJsonContext.Default.LambdaError);
        await runtime.ReportErrorAsync(invocation.RequestId, error, type, CancellationToken.None).ConfigureAwait(false);
        JsonLog.Write("ERROR", $"{type}: {message}", invocation.RequestId, handler.Name, milliseconds: clock.Elapsed.TotalMilliseconds);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
