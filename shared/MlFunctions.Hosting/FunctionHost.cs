using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MlFunctions.Hosting;

/// <summary>
/// The builder every platform's HTTP server (Azure's custom handler, Google's Functions Framework
/// binary, the local host, the Trainer as a server) starts from: Kestrel, routing and console logging, and nothing
/// else. Not CreateSlimBuilder: its configuration watches appsettings files under the content root
/// (the working directory) with a recursive inotify watch, which cost a cold start 150 to 250 ms in a
/// directory with a few hundred subfolders. And Kestrel's core only (configure it with ConfigureKestrel,
/// not UseKestrel, which also sets up HTTP/3 and probes a dozen paths for libmsquic). Settings come
/// from environment variables, read directly.
/// </summary>
public static class FunctionHost
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }
}
