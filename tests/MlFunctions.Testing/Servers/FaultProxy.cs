using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace MlFunctions.Testing.Servers;

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of a real storage server (s3rver, azurite, the GCS test server)
/// that injects faults: the next N requests get a 503, or get no answer for a while (a store that
/// times out). Everything else is forwarded as it came, Host header included (S3 signs it).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private WebApplication _app = null!;
    private Uri _target = null!;
    private int _failures;
    private int _stalls;
    private int _requests;

    /// <summary>http://127.0.0.1:port</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Requests that reached the proxy, faulted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How long a stalled request waits before the proxy drops it.</summary>
    public TimeSpan Stall { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The next <paramref name="count"/> requests get a 503 with a Retry-After-less body.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

    /// <summary>The next <paramref name="count"/> requests get no answer for <see cref="Stall"/>, then the connection is aborted.</summary>
    public void StallNext(int count) => Interlocked.Exchange(ref _stalls, count);

    /// <summary>Faults off and the request count back to zero.</summary>
    public void Reset()
    {
        FailNext(0);
        StallNext(0);
        Interlocked.Exchange(ref _requests, 0);
        Seen.Clear();
    }

    public static async Task<FaultProxy> StartAsync(string target)
    {
        var proxy = new FaultProxy { _target = new Uri(target) };
        proxy._app = LoopbackServer.Build();
        proxy._app.Run(proxy.HandleAsync);
        proxy.Endpoint = (await LoopbackServer.StartAsync(proxy._app)).GetLeftPart(UriPartial.Authority);
        return proxy;
    }

    /// <summary>Every request seen since the last reset, as "METHOD path at ms".</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Seen { get; } = new();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        Seen.Enqueue($"{context.Request.Method} {context.Request.Path} at {Environment.TickCount64 % 100000}");
        if (Take(ref _stalls))
        {
            try
            {
                await Task.Delay(Stall, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up first, as it should.
            }
            context.Abort();
            return;
        }
        if (Take(ref _failures))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("<Error><Code>ServiceUnavailable</Code><Message>injected by the test proxy</Message></Error>");
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString));
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > 0 || context.Request.ContentLength is not null)
        {
            forward.Content = new ByteArrayContent(body.ToArray());
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }
        using var answer = await _upstream.SendAsync(forward, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        await answer.Content.CopyToAsync(context.Response.Body);
    }

    private static bool Take(ref int counter)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
