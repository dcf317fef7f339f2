using System.Diagnostics;
using System.Net.Sockets;

namespace MlFunctions.Testing.Servers;

/// <summary>
/// A real storage server (s3rver, azurite) from tests/servers, started on a free port on 127.0.0.1 in
/// its own temporary folder and stopped with the test class. It fails, never skips, when it cannot start.
/// </summary>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly Process _process;

    private NodeServer(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>s3rver, with S3's conditional writes (tests/servers/s3rver.mjs).</summary>
    public static Task<NodeServer> S3rverAsync() => StartAsync("s3rver", port => ["s3rver.mjs", port, "{folder}"]);

    /// <summary>azurite's blob service.</summary>
    public static Task<NodeServer> AzuriteAsync() => StartAsync("azurite", port =>
        ["node_modules/azurite/dist/src/blob/main.js", "--blobHost", "127.0.0.1", "--blobPort", port, "--location", "{folder}", "--skipApiVersionCheck", "--disableTelemetry", "--silent"]);

    private static async Task<NodeServer> StartAsync(string name, Func<string, string[]> arguments)
    {
        await NodePackages.EnsureAsync();
        var port = LoopbackPort.Free();
        var folder = Directory.CreateTempSubdirectory($"mlf-{name}-").FullName;
        var start = new ProcessStartInfo("node") { WorkingDirectory = NodePackages.Folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments(port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            start.ArgumentList.Add(argument.Replace("{folder}", folder, StringComparison.Ordinal));
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}: is Node.js installed?");
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} before it listened: {await error}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return new NodeServer(process, port, folder);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"{name} did not listen on 127.0.0.1:{port} within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying server: the temp folder is cleaned up by the system.
        }
    }
}
