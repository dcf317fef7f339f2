using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MlFunctions.Testing;

/// <summary>An in-process test server (an emulator, a fake cloud API, a fault proxy) on a free 127.0.0.1 port, without logs.</summary>
public static class LoopbackServer
{
    public static WebApplication Build() => Build(_ => { });

    /// <summary>With services of its own and, for gRPC without TLS, <see cref="HttpProtocols.Http2"/> only (HTTP/2 by prior knowledge).</summary>
    public static WebApplication Build(Action<IServiceCollection> services, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        services(builder.Services);
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/> and gives its address, http://127.0.0.1:port.</summary>
    public static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }
}
