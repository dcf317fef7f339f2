using System.Globalization;
using System.Net.Http.Headers;

namespace MlFunctions.Lambda;

/// <summary>The Lambda Runtime API (2018-06-01) at AWS_LAMBDA_RUNTIME_API: next, response, error, init error.</summary>
public sealed class RuntimeApiClient(string host) : IDisposable
{
    // The next call long-polls until an event arrives, however long that is.
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{host}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Waits for the next event. A failure status from the API means the sandbox is going away: it throws.</summary>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow.AddMinutes(15);
        return new Invocation(
            Header(response, "Lambda-Runtime-Aws-Request-Id") ?? throw new InvalidOperationException("The Runtime API sent an event without a request id."),
            deadline,
            Header(response, "Lambda-Runtime-Invoked-Function-Arn"),
            Header(response, "Lambda-Runtime-Trace-Id"),
            await ReadEventAsync(response.Content, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The event's bytes, read straight into one array of the length the API announces: buffering it
    /// (pooled segments that grow, then a copy) wrote a 440 KB image event two or three times over, and
    /// on a cold start every fresh page is a fault.
    /// </summary>
    private static async Task<byte[]> ReadEventAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is not { } length || length > Array.MaxLength)
        {
            return await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        // Not zeroed first: the read fills every byte, and zeroing is one more pass over fresh pages.
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    public Task RespondAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{requestId}/response", body, "application/json", null, cancellationToken);

    public Task ReportErrorAsync(string requestId, byte[] error, string errorType, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{requestId}/error", error, "application/vnd.aws.lambda.error+json", errorType, cancellationToken);

    public Task ReportInitErrorAsync(byte[] error, string errorType, CancellationToken cancellationToken) =>
        PostAsync("init/error", error, "application/vnd.aws.lambda.error+json", errorType, cancellationToken);

    private async Task PostAsync(string path, ReadOnlyMemory<byte> body, string contentType, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
        }
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}
