using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using MlFunctions.Testing.AzureWorker.Rpc;

namespace MlFunctions.Testing.AzureWorker;

/// <summary>One function as the worker indexed it: its id, and its trigger binding's raw JSON.</summary>
public sealed record WorkerFunction(string Id, string Name, RpcFunctionMetadata Metadata, JsonElement Trigger)
{
    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public string TriggerName => Trigger.GetProperty("name").GetString()!;

    public string? Text(string property) => Trigger.TryGetProperty(property, out var value) ? value.GetString() : null;
}

/// <summary>What one HTTP call through the host gave: the worker's HTTP answer and its InvocationResponse.</summary>
public sealed record HttpInvocation(int Status, string? ContentType, byte[] Body, InvocationResponse Invocation);

/// <summary>
/// The Azure Functions host's side of a .NET isolated worker, as far as the tests need it (the host itself
/// cannot run here): it starts the published worker as the host does (worker.config.json's executable and
/// worker path, the --functions-* arguments, FUNCTIONS_APPLICATION_DIRECTORY), serves FunctionRpc's event
/// stream over HTTP/2 without TLS, and goes through start stream, worker init, functions metadata (worker
/// indexing) and one function load per function. HTTP triggers go as in ASP.NET Core integration: the
/// request is forwarded to the worker's HttpUri with x-ms-invocation-id while an InvocationRequest with an
/// empty RpcHttp goes over gRPC; blob triggers as the blob extension sends a BlobCreated Event Grid event
/// (deferred binding data and the trigger metadata); timers with the TimerInfo JSON.
/// </summary>
public sealed class FunctionsHostEmulator : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication _grpc;
    private readonly WorkerStream _stream;
    private readonly Process _process;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly Stopwatch _sinceStart;

    private FunctionsHostEmulator(WebApplication grpc, WorkerStream stream, Process process, IReadOnlyDictionary<string, string> settings, Stopwatch sinceStart)
    {
        _sinceStart = sinceStart;
        _grpc = grpc;
        _stream = stream;
        _process = process;
        _settings = settings;
    }

    public IReadOnlyList<WorkerFunction> Functions { get; private set; } = [];

    /// <summary>The worker's WorkerInitResponse capabilities (HttpUri among them).</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>From the process start to every function loaded and the worker's HTTP port open.</summary>
    public TimeSpan ReadyAfter { get; private set; }

    /// <summary>The time since the worker's process started (a cold start's clock).</summary>
    public TimeSpan SinceStart => _sinceStart.Elapsed;

    /// <summary>The worker's logs (over gRPC) and its stdout and stderr, for a failing test's message.</summary>
    public string Logs
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _stream.Logs) + "\n" + _output;
            }
        }
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts the worker published in <paramref name="appDirectory"/> with <paramref name="settings"/> (app settings) and loads every function.</summary>
    public static async Task<FunctionsHostEmulator> StartAsync(string appDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var workerId = Guid.NewGuid().ToString();
        var stream = new WorkerStream(workerId);
        var grpc = LoopbackServer.Build(services =>
        {
            services.AddGrpc(options => options.MaxReceiveMessageSize = null);
            services.AddSingleton(stream);
        }, HttpProtocols.Http2);
        grpc.MapGrpcService<HostRpcService>();
        var address = await LoopbackServer.StartAsync(grpc);

        Process process;
        Stopwatch clock;
        try
        {
            (process, clock) = Launch(appDirectory, address, workerId, settings);
        }
        catch
        {
            await grpc.DisposeAsync();
            throw;
        }
        var host = new FunctionsHostEmulator(grpc, stream, process, settings, clock);
        process.OutputDataReceived += (_, e) => host.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => host.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.InitializeAsync();
            host.ReadyAfter = clock.Elapsed;
            return host;
        }
        catch (Exception e)
        {
            var logs = host.Logs;
            await host.DisposeAsync();
            throw new InvalidOperationException($"The worker did not start: {e.Message}\n{logs}", e);
        }
    }

    /// <summary>The worker's process, as the host starts it: worker.config.json's executable and worker path, the host's arguments and environment.</summary>
    private static (Process Process, Stopwatch Clock) Launch(string appDirectory, Uri address, string workerId, IReadOnlyDictionary<string, string> settings)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(appDirectory, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        var start = new ProcessStartInfo(description.GetProperty("defaultExecutablePath").GetString()!)
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var requestId = Guid.NewGuid().ToString();
        var maxMessage = int.MaxValue.ToString(CultureInfo.InvariantCulture);
        foreach (var argument in new[]
        {
            Path.Combine(appDirectory, description.GetProperty("defaultWorkerPath").GetString()!),
            "--host", address.Host, "--port", address.Port.ToString(CultureInfo.InvariantCulture), "--workerId", workerId, "--requestId", requestId,
            "--grpcMaxMessageLength", maxMessage, "--functions-uri", address.ToString(), "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", maxMessage,
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        start.Environment["AzureWebJobsScriptRoot"] = appDirectory;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        return (Process.Start(start)!, clock);
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task InitializeAsync()
    {
        await Task.WhenAny(_stream.Connected.Task, _process.WaitForExitAsync()).WaitAsync(Timeout);
        if (!_stream.Connected.Task.IsCompleted)
        {
            throw new InvalidOperationException($"the worker exited ({_process.ExitCode}) before it opened the event stream");
        }

        var init = await _stream.RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest { HostVersion = "4.1040.0", WorkerDirectory = _process.StartInfo.WorkingDirectory, FunctionAppDirectory = _process.StartInfo.WorkingDirectory },
        }, Timeout);
        Check(init.WorkerInitResponse?.Result, "worker init");
        Capabilities = init.WorkerInitResponse!.Capabilities.ToDictionary();

        var metadata = await _stream.RequestAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _process.StartInfo.WorkingDirectory },
        }, Timeout);
        Check(metadata.FunctionMetadataResponse?.Result, "functions metadata");
        Functions = metadata.FunctionMetadataResponse!.FunctionMetadataResults.Select(m => new WorkerFunction(m.FunctionId, m.Name, m,
            m.RawBindings.Select(b => JsonDocument.Parse(b).RootElement).Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)))).ToList();

        // One load request per function, as the host sends them, with the metadata the worker indexed.
        var loads = await Task.WhenAll(Functions.Select(f => _stream.RequestAsync(new StreamingMessage
        {
            FunctionLoadRequest = new FunctionLoadRequest { FunctionId = f.Id, Metadata = f.Metadata },
        }, Timeout)));
        foreach (var load in loads)
        {
            Check(load.FunctionLoadResponse?.Result, $"load of {load.FunctionLoadResponse?.FunctionId}");
        }

        // The worker's Kestrel may still be starting when it answers init; the host retries its first
        // forward, and here we wait for the port instead.
        while (!await AcceptsAsync(HttpUri))
        {
            if (_sinceStart.Elapsed > Timeout)
            {
                throw new TimeoutException($"the worker's HttpUri {HttpUri} did not accept connections");
            }
            await Task.Delay(1);
        }
    }

    private static async Task<bool> AcceptsAsync(Uri uri)
    {
        try
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(uri.Host, uri.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Check(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step}: {result?.Status} {result?.Result} {result?.Exception?.Message}");
        }
    }

    /// <summary>Where the worker's ASP.NET Core integration listens (its HttpUri capability).</summary>
    public Uri HttpUri => new(Capabilities["HttpUri"]);

    /// <summary>
    /// An HTTP request as the host handles it: routed by the functions' httpTrigger routes (below "api") and
    /// methods; null when none matches (the host's own 404). The request is forwarded to the worker
    /// unchanged but for x-ms-invocation-id, and the InvocationRequest carries the route values.
    /// </summary>
    public async Task<HttpInvocation?> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content = null)
    {
        var path = pathAndQuery.Split('?')[0];
        var match = Functions.Where(f => f.TriggerType == "httpTrigger").Select(f => (Function: f, Values: Match(f, method, path))).FirstOrDefault(m => m.Values is not null);
        if (match.Function is null)
        {
            return null;
        }
        var invocation = NewInvocation(match.Function);
        invocation.InputData.Add(new ParameterBinding { Name = match.Function.TriggerName, Data = new TypedData { Http = new RpcHttp() } });
        foreach (var (name, value) in match.Values!)
        {
            invocation.TriggerMetadata[name] = new TypedData { String = value?.ToString() ?? "" };
        }
        using var request = new HttpRequestMessage(method, new Uri(HttpUri, pathAndQuery)) { Content = content };
        request.Headers.Add("x-ms-invocation-id", invocation.InvocationId);
        var forwarding = _http.SendAsync(request);
        var response = _stream.InvokeAsync(invocation, Timeout);
        using var answer = await forwarding.WaitAsync(Timeout);
        return new HttpInvocation((int)answer.StatusCode, answer.Content.Headers.ContentType?.ToString(), await answer.Content.ReadAsByteArrayAsync(), await response);
    }

    private static RouteValueDictionary? Match(WorkerFunction function, HttpMethod method, string path)
    {
        var methods = function.Trigger.TryGetProperty("methods", out var allowed) ? allowed.EnumerateArray().Select(m => m.GetString()!).ToArray() : [];
        if (methods.Length > 0 && !methods.Contains(method.Method, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }
        var values = new RouteValueDictionary();
        var matcher = new TemplateMatcher(TemplateParser.Parse("api/" + (function.Text("route") ?? function.Name)), new RouteValueDictionary());
        return matcher.TryMatch(path, values) ? values : null;
    }

    /// <summary>
    /// A Microsoft.Storage.BlobCreated Event Grid event, as the blob extension delivers it to a blob trigger
    /// whose source is EventGrid: the trigger's container (its path's %setting% resolved) must be the event's,
    /// the blob goes as deferred binding data (connection name, container, blob name: never its bytes), and
    /// the trigger metadata holds BlobTrigger, the path's {name}, Uri, Properties (from the event's data, as
    /// the extension reads them from the blob) and Metadata. Null when no blob trigger watches the container.
    /// </summary>
    public async Task<InvocationResponse?> DeliverEventGridAsync(string eventJson)
    {
        using var document = JsonDocument.Parse(eventJson);
        var e = document.RootElement;
        const string marker = "/blobServices/default/containers/";
        var subject = e.GetProperty("subject").GetString()!;
        var rest = subject[marker.Length..];
        var container = rest[..rest.IndexOf("/blobs/", StringComparison.Ordinal)];
        var blob = rest[(container.Length + "/blobs/".Length)..];
        var function = Functions.FirstOrDefault(f => f.TriggerType == "blobTrigger" && Resolve(f.Text("path")!).StartsWith(container + "/", StringComparison.Ordinal));
        if (function is null)
        {
            return null;
        }
        var data = e.GetProperty("data");
        var binding = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["Connection"] = function.Text("connection")!, ["ContainerName"] = container, ["BlobName"] = blob,
        });
        var invocation = NewInvocation(function);
        invocation.InputData.Add(new ParameterBinding
        {
            Name = function.TriggerName,
            Data = new TypedData { ModelBindingData = new ModelBindingData { Version = "1.0", Source = "AzureStorageBlobs", ContentType = "application/json", Content = ByteString.CopyFrom(binding) } },
        });
        invocation.TriggerMetadata["BlobTrigger"] = new TypedData { String = $"{container}/{blob}" };
        invocation.TriggerMetadata["name"] = new TypedData { String = blob };
        invocation.TriggerMetadata["Uri"] = new TypedData { Json = JsonSerializer.Serialize(data.GetProperty("url").GetString()) };
        invocation.TriggerMetadata["Properties"] = new TypedData
        {
            Json = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["ContentLength"] = data.GetProperty("contentLength").GetInt64(),
                ["ContentType"] = data.GetProperty("contentType").GetString(),
                ["ETag"] = data.GetProperty("eTag").GetString(),
                ["BlobType"] = "Block",
            }),
        };
        invocation.TriggerMetadata["Metadata"] = new TypedData { Json = "{}" };
        return await _stream.InvokeAsync(invocation, Timeout);
    }

    /// <summary>A timer trigger's tick: the TimerInfo JSON the host sends.</summary>
    public async Task<InvocationResponse> TickAsync(string functionName)
    {
        var function = Functions.Single(f => f.Name == functionName && f.TriggerType == "timerTrigger");
        var invocation = NewInvocation(function);
        invocation.InputData.Add(new ParameterBinding
        {
            Name = function.TriggerName,
            Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
        });
        return await _stream.InvokeAsync(invocation, Timeout);
    }

    // The worker reads the trace context without a null check: the host always sends one.
    private static InvocationRequest NewInvocation(WorkerFunction function) => new()
    {
        InvocationId = Guid.NewGuid().ToString(),
        FunctionId = function.Id,
        TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01" },
    };

    /// <summary>A binding path's %setting% expressions, resolved from the app settings as the host does.</summary>
    private string Resolve(string path)
    {
        foreach (var (name, value) in _settings)
        {
            path = path.Replace($"%{name}%", value, StringComparison.Ordinal);
        }
        return path;
    }

    /// <summary>WorkerTerminate with a grace period, as the host stops a worker; killed if it has not exited in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && _stream.Connected.Task.IsCompleted)
            {
                // The stream may already be closed by the worker: then the kill below stops it.
                _stream.TrySend(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });
            }
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Killed below.
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            _http.Dispose();
            await _grpc.StopAsync();
            await _grpc.DisposeAsync();
        }
    }
}
