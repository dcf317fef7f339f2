using System.Diagnostics;

namespace MlFunctions.Testing;

/// <summary>
/// A server process under test (an AOT adapter, or the Trainer as a platform starts it) on a free
/// loopback port, ready once a GET answers, and killed on dispose.
/// </summary>
public sealed class HttpProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HttpProcess(Process process, HttpClient client, TimeSpan readyAfter)
    {
        _process = process;
        Client = client;
        ReadyAfter = readyAfter;
    }

    public HttpClient Client { get; }

    /// <summary>The server's process id (for reading its memory from /proc).</summary>
    public int ProcessId => _process.Id;

    /// <summary>From process start to the first answer.</summary>
    public TimeSpan ReadyAfter { get; }

    /// <summary>What the process wrote to stdout, a line each (the first 10,000).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; private set; } = new();

    /// <param name="portVariable">The environment variable the process takes its port from.</param>
    /// <param name="probe">The path polled for readiness; any HTTP answer counts.</param>
    public static async Task<HttpProcess> StartAsync(ProcessStartInfo start, string portVariable, IReadOnlyDictionary<string, string>? settings = null, string probe = "/")
    {
        var port = LoopbackPort.Free();
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment[portVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && output.Count < 10_000)
            {
                output.Enqueue(line.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
        {
            try
            {
                using var answer = await client.GetAsync(probe);
                var started = new HttpProcess(process, client, clock.Elapsed);
                started.Output = output;
                return started;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5);
            }
        }
        client.Dispose();
        if (!process.HasExited)
        {
            process.Kill();
        }
        throw new TimeoutException($"{start.FileName} never answered GET {probe} on port {port}.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
