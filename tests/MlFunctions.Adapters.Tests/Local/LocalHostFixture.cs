using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MlFunctions.Core.Contract;
using MlFunctions.Local;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>
/// The real local host on a free loopback port, with a body limit small enough to test, serving a
/// temporary bucket into which the sample model is trained, and the sample image model registered, as on a fresh start.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const long BodyLimit = 1_000_000;

    private WebApplication? _app;

    public HttpClient Client { get; } = new();

    public string Bucket { get; } = Directory.CreateTempSubdirectory("mlf-bucket-").FullName;

    public async Task InitializeAsync()
    {
        string[] args = ["--port", "0", "--bucket", Bucket];
        _app = LocalHost.Build(args, FunctionLimits.Default with { MaxBodyBytes = BodyLimit });
        await SampleModel.EnsureAsync(LocalHost.BucketStore(args), _app.Logger, CancellationToken.None);
        await SampleImageModel.EnsureAsync(LocalHost.BucketStore(args), _app.Services.GetRequiredService<Composition.FunctionServices>().Registration, _app.Logger, CancellationToken.None);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client.BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            // Stopped first, as the host stops when it runs: the capture writer then writes what is queued
            // (a test's predictions) before the folder is deleted, not while it is.
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(Bucket, recursive: true);
    }
}
