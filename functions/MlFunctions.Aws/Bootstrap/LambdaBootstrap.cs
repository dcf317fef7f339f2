using System.Diagnostics;
using System.Text.Json;
using MlFunctions.Aws.Client;
using MlFunctions.Aws.Events;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;

namespace MlFunctions.Aws.Bootstrap;

/// <summary>
/// The Runtime API loop: take an event, run the catalog function through the pipeline, post the
/// response. An event that cannot be handled, or work past the deadline, is posted to /error; the loop
/// then goes on to the next event.
/// </summary>
internal sealed class LambdaBootstrap(RuntimeApiClient runtime, FunctionPipeline pipeline, FunctionDescriptor function)
{
    // Time kept back before the deadline to post the error report before Lambda stops the sandbox.
    private static readonly TimeSpan ReportMargin = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var invocation = await runtime.NextAsync(stopping).ConfigureAwait(false);
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
            await HandleAsync(invocation, stopping).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(Invocation invocation, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(Max(invocation.Deadline - DateTimeOffset.UtcNow - ReportMargin, TimeSpan.Zero));
        try
        {
            var request = ApiGatewayTranslation.ToRequest(
                JsonSerializer.Deserialize(invocation.Event, AwsJsonContext.Default.ApiGatewayV2Request)
                ?? throw new JsonException("The event is JSON null."));
            // Functions may do their work synchronously and never look at the token: on the thread pool,
            // the wait is what the deadline cancels, and the loop is free to report and go on.
            var response = await Task.Run(() => pipeline.InvokeAsync(function, request, deadline.Token), deadline.Token)
                .WaitAsync(deadline.Token).ConfigureAwait(false);
            var body = JsonSerializer.SerializeToUtf8Bytes(ApiGatewayTranslation.ToResponse(response), AwsJsonContext.Default.ApiGatewayV2Response);
            await runtime.RespondAsync(invocation.RequestId, body, stopping).ConfigureAwait(false);
            JsonLog.Write("INFO", "invocation", invocation.RequestId, function.Name, response.Status, clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            await ReportAsync(invocation, "Runtime.Timeout", $"'{function.Name}' did not finish before the invocation's deadline.", clock).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            await ReportAsync(invocation, "Runtime.InvalidEvent", $"The event is not an API Gateway HTTP API (2.0) or Function URL request: {e.Message}", clock).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(Invocation invocation, string type, string message, Stopwatch clock)
    {
        var error = JsonSerializer.SerializeToUtf8Bytes(new LambdaError(message, type, []), AwsJsonContext.Default.LambdaError);
        await runtime.ReportErrorAsync(invocation.RequestId, error, type, CancellationToken.None).ConfigureAwait(false);
        JsonLog.Write("ERROR", $"{type}: {message}", invocation.RequestId, function.Name, milliseconds: clock.Elapsed.TotalMilliseconds);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
