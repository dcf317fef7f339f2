using MlFunctions.Core.Monitoring;
using System.Globalization;
using MlFunctions.Composition;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;
using MlFunctions.Hosting;
using MlFunctions.Local.Bucket;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Local;

/// <summary>The embedded host: every catalog function on 127.0.0.1, no cloud needed.</summary>
public static class LocalHost
{
    public const int DefaultPort = 7071;

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"serve: {e.Message}").ConfigureAwait(false);
            return Cli.LocalCommands.UsageError;
        }
        if (!PortIsFree(Address(args), Port(args)))
        {
            await Console.Error.WriteLineAsync(InUse(args)).ConfigureAwait(false);
            return 1;
        }
        await SampleModel.EnsureAsync(BucketStore(args), app.Logger, CancellationToken.None).ConfigureAwait(false);
        await SampleImageModel.EnsureAsync(BucketStore(args), app.Services.GetRequiredService<FunctionServices>().Registration, app.Logger, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync(InUse(args)).ConfigureAwait(false);
            return 1;
        }
        return 0;
    }

    private static string InUse(string[] args) => $"serve: {Address(args)}:{Port(args)} is in use (is another host running?); stop it, or pick another port with --port N.";

    /// <summary>Whether the port can be bound now: asked before Kestrel, whose own failure comes with a logged stack trace.</summary>
    private static bool PortIsFree(System.Net.IPAddress address, int port)
    {
        if (port == 0)
        {
            return true;
        }
        try
        {
            using var probe = new System.Net.Sockets.TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>The bucket folder: '--bucket DIR', else MLF_BUCKET, else ./bucket.</summary>
    public static string Bucket(string[] args) =>
        Path.GetFullPath(Option(args, "--bucket") ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");

    public static LocalFolderStore BucketStore(string[] args) => new(Bucket(args));

    /// <summary>
    /// Builds the host; '--port N' (or MLF_PORT) picks the port, 0 for any free one, '--bucket DIR'
    /// the folder models are served from, '--host ADDR' the address (loopback by default) and
    /// '--api-key KEY' (or MLF_API_KEY) the key every request but /healthz must carry, which any
    /// address but loopback requires. Limits come from the environment unless given.
    /// </summary>
    public static WebApplication Build(string[] args, FunctionLimits? limits = null)
    {
        var builder = FunctionHost.CreateBuilder();
        var port = Port(args);
        var address = Address(args);
        var apiKey = ApiKeyGate.FromSettings(Option(args, "--api-key") ?? Environment.GetEnvironmentVariable("MLF_API_KEY"), address);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            // The pipeline enforces the body limit itself, so the refusal is problem+json, not a bare 413.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        // A new champion is noticed within a second, by reading champion.json, without a restart.
        var bucket = BucketStore(args);
        var functions = FunctionServices.Create(Environment.GetEnvironmentVariable, limits ?? FunctionLimits.Azure, bucket, TimeSpan.FromSeconds(1));
        var catalog = functions.Catalog;
        builder.Services.AddSingleton(functions);
        builder.Services.AddHostedService(services =>
        {
            var log = services.GetRequiredService<ILogger<BucketWorker>>();
            // Long work (a large batch) reports how far it has got.
            return new BucketWorker(bucket, functions.CreateOnUpload(line => log.LogInformation("{Progress}", line)), log,
                OnnxTraining.FromOutput(functions.Graphs, functions.Registration, functions.Limits));
        });
        var app = builder.Build();
        var metrics = new PrometheusMetrics(functions.Capture);
        var pipeline = new FunctionPipeline(catalog, (name, fault) =>
            app.Logger.LogError(fault, "Function {Function} failed", name), metrics);

        apiKey?.Register(app);
        var page = new Page.HomePage(catalog, pipeline, bucket);
        // Browsers get the page; clients asking for JSON (or anything else) the catalog, as before.
        app.MapGet("/", (RequestDelegate)(async context =>
        {
            if (Page.HomePage.Wanted(context.Request.Headers.Accept.ToString()))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(await page.RenderAsync(context.RequestAborted).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
                return;
            }
            await HttpTranslation.Write(catalog.Describe(), context).ConfigureAwait(false);
        }));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), PrometheusMetrics.ContentType));
        app.MapCatalog(pipeline);
        // Captured traffic still queued is written when the host stops.
        functions.Capture.FlushWhen(app.Lifetime.ApplicationStopped);
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "MlFunctions serving {Functions} on {Address}",
            string.Join(", ", catalog.Functions.Select(f => $"{f.Method} {f.Route}")),
            string.Join(", ", app.Urls)));
        return app;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>'--host ADDR' (or MLF_HOST): 127.0.0.1 unless asked; any other address needs an API key.</summary>
    private static System.Net.IPAddress Address(string[] args)
    {
        var text = Option(args, "--host") ?? Environment.GetEnvironmentVariable("MLF_HOST");
        if (string.IsNullOrEmpty(text))
        {
            return System.Net.IPAddress.Loopback;
        }
        return System.Net.IPAddress.TryParse(text, out var address) ? address : throw new ArgumentException($"The host must be an IP address, such as 127.0.0.1 or 0.0.0.0, not '{text}'.");
    }

    private static int Port(string[] args)
    {
        var text = Option(args, "--port") ?? Environment.GetEnvironmentVariable("MLF_PORT");
        if (string.IsNullOrEmpty(text))
        {
            return DefaultPort;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"The port must be a number from 0 to 65535, not '{text}'.");
    }
}
