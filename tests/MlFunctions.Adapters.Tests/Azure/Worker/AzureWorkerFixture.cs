using MlFunctions.Adapters.Tests.Onnx;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.AzureWorker;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Adapters.Tests.Azure.Worker;

/// <summary>
/// The published isolated worker under the test host, and the AOT custom handler beside it, both on one
/// azurite container that holds an ONNX image classifier ("colours"): the two Azure options given the
/// same requests.
/// </summary>
public sealed class AzureWorkerFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public FunctionsHostEmulator Host { get; private set; } = null!;

    public HttpProcess CustomHandler { get; private set; } = null!;

    public IObjectStore Container { get; private set; } = null!;

    /// <summary>The publish folder: what `func azure functionapp publish` uploads.</summary>
    public string AppDirectory { get; private set; } = "";

    /// <summary>The README's command, scripts/azure-publish-worker.sh, once per test run: the folder it builds.</summary>
    public static Task<string> PublishAsync() => AotPublisher.RunOnceAsync("azure-publish-worker.sh", async () =>
    {
        var output = Path.Combine(RepoPaths.Artifacts, "azure-worker");
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "azure-publish-worker.sh"), output], TimeSpan.FromMinutes(10));
        return result.ExitCode == 0 && File.Exists(Path.Combine(output, "worker.config.json"))
            ? output
            : throw new InvalidOperationException($"scripts/azure-publish-worker.sh failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
    });

    public async Task InitializeAsync()
    {
        AppDirectory = await PublishAsync();
        await _azurite.InitializeAsync();
        Container = await _azurite.NewBucketAsync();
        await TestModels.RegisterAsync(Container, "colours", TestModels.Classifier, TestModels.ClassifierGraph);
        var settings = new Dictionary<string, string> { ["AzureWebJobsStorage"] = _azurite.ConnectionString, ["MLF_BUCKET"] = Container.Bucket };
        Host = await FunctionsHostEmulator.StartAsync(AppDirectory, settings);
        CustomHandler = await AzureHandlerProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Host is not null)
            {
                await Host.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                if (CustomHandler is not null)
                {
                    await CustomHandler.DisposeAsync();
                }
            }
            finally
            {
                await _azurite.DisposeAsync();
            }
        }
    }
}
