using System.Collections.Concurrent;
using System.Diagnostics;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>The real Native AOT bootstrap, published once per run, running against an emulator, its stdout kept.</summary>
public sealed class BootstrapProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BootstrapProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<BootstrapProcess> StartAsync(LambdaRuntimeEmulator emulator, string handler, IReadOnlyDictionary<string, string>? settings = null)
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Aws", "bootstrap");
        return Start(new ProcessStartInfo(binary), emulator, handler, settings);
    }

    /// <summary>The Trainer (JIT) as the retrain function, as its self-contained bootstrap runs it on Lambda.</summary>
    public static BootstrapProcess StartTrainer(LambdaRuntimeEmulator emulator, IReadOnlyDictionary<string, string> settings) =>
        Start(new ProcessStartInfo("dotnet", [typeof(MlFunctions.Trainer.RetrainHandler).Assembly.Location]), emulator, "retrain", settings);

    private static BootstrapProcess Start(ProcessStartInfo start, LambdaRuntimeEmulator emulator, string handler, IReadOnlyDictionary<string, string>? settings)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = emulator.Address;
        start.Environment["_HANDLER"] = handler;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var running = new BootstrapProcess(process);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { running.Output.Enqueue(line.Data); } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { running.Output.Enqueue(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
