using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MlFunctions.Core.Contract;
using MlFunctions.Local;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>The real local host on a free loopback port, with a body limit small enough to test.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const long BodyLimit = 1_000_000;

    private WebApplication? _app;

    public HttpClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        _app = LocalHost.Build(["--port", "0"], FunctionLimits.Default with { MaxBodyBytes = BodyLimit });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client.BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
