using System.Diagnostics;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Trainer;

/// <summary>The Trainer (JIT) started as an HTTP retrain function, as a platform starts it; ready once it answers.</summary>
public sealed class TrainerServer : IAsyncDisposable
{
    private readonly Process _process;

    private TrainerServer(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<TrainerServer> StartAsync(IReadOnlyDictionary<string, string> settings, string portVariable)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet", [typeof(MlFunctions.Trainer.RetrainRunner).Assembly.Location])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment[portVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var probe = await client.GetAsync("/");
                return new TrainerServer(process, client);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
        process.Kill();
        throw new TimeoutException("The Trainer never started listening.");
    }

    /// <summary>A bucket with the penguin spec and a queued job for penguins.csv (or <paramref name="data"/>), made by on-upload: the job manifest's key.</summary>
    public static async Task<string> QueueJobAsync(IObjectStore bucket, byte[]? data = null)
    {
        await SampleBucket.WritePenguinSpecAsync(bucket);
        var csv = data ?? await File.ReadAllBytesAsync(RepoPaths.Penguins);
        var etag = await bucket.WriteAsync("training/penguins/all.csv", csv, "text/csv", WriteCondition.Always, CancellationToken.None);
        var onUpload = new OnUploadFunction(FunctionLimits.Default, new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero), ImageVariant.Parse(null, FunctionLimits.Default));
        var queued = await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, "training/penguins/all.csv", csv.Length, etag), bucket, CancellationToken.None);
        return queued.Written.Single(k => BucketLayout.ParseJob(k) is not null);
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
