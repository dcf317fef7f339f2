using System.Diagnostics;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Gcp;

/// <summary>The real Native AOT binary on a free port with a FUNCTION_TARGET, ready once it answers.</summary>
public sealed class GcpBinary : IAsyncDisposable
{
    private readonly Process _process;

    private GcpBinary(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<GcpBinary> StartAsync(string target, IReadOnlyDictionary<string, string> settings)
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Gcp");
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTION_TARGET"] = target;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var attempt = 0; attempt < 500; attempt++)
        {
            try
            {
                using var probe = await client.GetAsync("/robots.txt");
                return new GcpBinary(process, client);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(10);
            }
        }
        process.Kill();
        throw new TimeoutException($"{target} never started listening.");
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
