using System.Diagnostics;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Azure;

/// <summary>The real AOT custom handler on a free port, as the Functions host starts it, ready once GET / answers.</summary>
public sealed class AzureHandlerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AzureHandlerProcess(Process process, HttpClient client, TimeSpan readyAfter)
    {
        _process = process;
        Client = client;
        ReadyAfter = readyAfter;
    }

    public HttpClient Client { get; }

    public TimeSpan ReadyAfter { get; }

    public static async Task<AzureHandlerProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Azure");
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var ready = await client.GetAsync("/");
                if (ready.IsSuccessStatusCode)
                {
                    return new AzureHandlerProcess(process, client, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5);
            }
        }
        process.Kill();
        throw new TimeoutException("The handler never answered GET /.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
