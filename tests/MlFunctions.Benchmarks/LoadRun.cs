using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using MlFunctions.Testing;

namespace MlFunctions.Benchmarks;

/// <summary>
/// A load run: N concurrent clients (32) for S seconds (60) against each server on 127.0.0.1: the
/// local host (JIT), the Native AOT Azure custom handler, and the Native AOT Google binaries (one
/// process per function, as Cloud Functions deploys them). Each client cycles through resize,
/// features, predict and format, one request at a time. Prints throughput and p50/p99 per window and
/// per function, the servers' resident memory every five seconds, and every error.
/// </summary>
internal static class LoadRun
{
    private static readonly string[] Functions = ["resize", "features", "predict", "format"];

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        string[] targets = args.Length > 2 ? args[2..] : ["local", "azure", "google"];
        var bucket = Directory.CreateTempSubdirectory("mlf-load-bucket-").FullName;
        var requests = new LoadRequests(File.ReadAllBytes(RepoPaths.ExifImage("Landscape_6")));
        var failed = false;
        try
        {
            // The local host trains the sample model into the bucket on its first start; the other
            // servers then serve that same bucket folder.
            await using (var seeding = await StartLocalAsync(bucket))
            {
                await WaitForModelAsync(seeding.Client);
            }
            Console.WriteLine($"Load: {clients} clients for {seconds} s per server, each cycling resize (1800x1200 JPEG to 224x224), features (model spec, 2 records), predict (penguins, 2 records), format (3 rows)");
            Console.WriteLine();
            foreach (var target in targets)
            {
                var servers = await StartAsync(target, bucket);
                try
                {
                    var result = await DriveAsync(servers, requests, clients, TimeSpan.FromSeconds(seconds));
                    result.Print(target switch
                    {
                        "local" => "Local host (ASP.NET Core, JIT)",
                        "azure" => "Azure custom handler (Native AOT)",
                        _ => "Google Functions Framework binaries (Native AOT, one process per function)",
                    });
                    failed |= result.Errors > 0;
                }
                finally
                {
                    foreach (var server in servers.Values.Distinct())
                    {
                        await server.DisposeAsync();
                    }
                }
            }
            return failed ? 1 : 0;
        }
        finally
        {
            Directory.Delete(bucket, recursive: true);
        }
    }

    /// <summary>The servers of one target, by the function each serves.</summary>
    private static async Task<Dictionary<string, HttpProcess>> StartAsync(string target, string bucket)
    {
        var settings = new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = bucket };
        switch (target)
        {
            case "local":
                var local = await StartLocalAsync(bucket);
                return Functions.ToDictionary(f => f, _ => local);
            case "azure":
                var azure = await HttpProcess.StartAsync(new ProcessStartInfo(await AotPublisher.PublishAsync("functions", "MlFunctions.Azure")), "FUNCTIONS_CUSTOMHANDLER_PORT", settings);
                return Functions.ToDictionary(f => f, _ => azure);
            case "google":
                var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Gcp");
                var google = new Dictionary<string, HttpProcess>();
                foreach (var function in Functions)
                {
                    google[function] = await HttpProcess.StartAsync(new ProcessStartInfo(binary), "PORT",
                        new Dictionary<string, string>(settings) { ["FUNCTION_TARGET"] = function }, probe: "/robots.txt");
                }
                return google;
            default:
                throw new ArgumentException($"Unknown target '{target}'. Targets: local, azure, google.");
        }
    }

    /// <summary>The local host, published Release (JIT) once into artifacts/, serving <paramref name="bucket"/>.</summary>
    internal static async Task<HttpProcess> StartLocalAsync(string bucket)
    {
        var output = Path.Combine(RepoPaths.Artifacts, "jit", "MlFunctions.Local");
        var publish = await ProcessRunner.RunAsync("dotnet",
            ["publish", Path.Combine(RepoPaths.Root, "functions", "MlFunctions.Local", "MlFunctions.Local.csproj"), "-c", "Release", "-o", output, "-nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(10));
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException(publish.Output + publish.Error);
        }
        var start = new ProcessStartInfo(Path.Combine(output, "MlFunctions.Local")) { WorkingDirectory = RepoPaths.Root };
        return await HttpProcess.StartAsync(start, "MLF_PORT", new Dictionary<string, string> { ["MLF_BUCKET"] = bucket }, probe: "/healthz");
    }

    internal static async Task WaitForModelAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            using var answer = await client.PostAsync("/api/predict/penguins", new StringContent(LoadRequests.Penguins));
            if (answer.IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The local host never served the sample model.");
    }

    private static async Task<LoadResult> DriveAsync(Dictionary<string, HttpProcess> servers, LoadRequests requests, int clients, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var result = new LoadResult(duration);
        var processes = servers.Values.Distinct().Select(s => s.ProcessId).ToArray();
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var memory = SampleMemoryAsync(processes, result, clock, stop.Token);
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = client; !stop.IsCancellationRequested; i++)
            {
                var function = i % Functions.Length;
                var server = servers[Functions[function]].Client.BaseAddress!;
                using var request = requests.Create(Functions[function], server);
                var started = clock.Elapsed;
                string? error;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    error = response.IsSuccessStatusCode && body.Length > 0 ? null : $"{Functions[function]}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(200, body.Length)))}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    error = $"{Functions[function]}: {e.GetType().Name} {e.Message}";
                }
                result.Record(function, started, clock.Elapsed - started, error);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await memory;
        return result;
    }

    /// <summary>The servers' resident set (VmRSS, summed) once a second, from /proc.</summary>
    private static async Task SampleMemoryAsync(int[] processes, LoadResult result, Stopwatch clock, CancellationToken stop)
    {
        while (true)
        {
            long kib = 0;
            foreach (var pid in processes)
            {
                var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                kib += long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
            result.RecordMemory(clock.Elapsed, kib * 1024);
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The four requests of the mix, made fresh for every send.</summary>
    internal sealed class LoadRequests(byte[] photo)
    {
        public const string Penguins = """{"records": [{"Island": "Biscoe", "Beak Length (mm)": 46.1, "Beak Depth (mm)": 13.2, "Flipper Length (mm)": 211, "Body Mass (g)": 4500, "Sex": "FEMALE"}, {"Island": "Torgersen", "Beak Length (mm)": 39.1, "Beak Depth (mm)": 18.7, "Flipper Length (mm)": 181, "Body Mass (g)": 3750, "Sex": null}], "topK": 2}""";
        private const string Features = """{"model": "penguins", "records": [{"Island": "Biscoe", "Beak Length (mm)": 46.1, "Beak Depth (mm)": 13.2, "Flipper Length (mm)": 211, "Body Mass (g)": 4500, "Sex": "FEMALE"}, {"Island": "Dream", "Beak Length (mm)": null, "Beak Depth (mm)": 18.7, "Flipper Length (mm)": 181, "Body Mass (g)": 3750, "Sex": "MALE"}]}""";
        private const string Format = """{"logits": [[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [-3, 4, 0]], "labels": ["cat", "dog", "bird"], "topK": 2}""";

        public HttpRequestMessage Create(string function, Uri server)
        {
            var (path, content) = function switch
            {
                "resize" => ("/api/resize?width=224&height=224&fit=cover", Content(photo, "image/jpeg")),
                "features" => ("/api/features", Json(Features)),
                "predict" => ("/api/predict/penguins", Json(Penguins)),
                _ => ("/api/format", Json(Format)),
            };
            return new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = content };
        }

        private static ByteArrayContent Json(string json) => Content(System.Text.Encoding.UTF8.GetBytes(json), "application/json");

        private static ByteArrayContent Content(byte[] bytes, string type)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
            return content;
        }
    }

    /// <summary>What one server answered: every request's start, latency and error, and its memory over time.</summary>
    private sealed class LoadResult(TimeSpan duration)
    {
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
        private readonly List<(int Function, TimeSpan Start, TimeSpan Latency)> _requests = [];
        private readonly List<(TimeSpan At, long Bytes)> _memory = [];
        private readonly List<string> _errors = [];

        public int Errors => _errors.Count;

        public void Record(int function, TimeSpan start, TimeSpan latency, string? error)
        {
            lock (_requests)
            {
                _requests.Add((function, start, latency));
                if (error is not null)
                {
                    _errors.Add(error);
                }
            }
        }

        public void RecordMemory(TimeSpan at, long bytes)
        {
            lock (_memory)
            {
                _memory.Add((at, bytes));
            }
        }

        public void Print(string title)
        {
            Console.WriteLine(title);
            Console.WriteLine($"  {"window",-10}{"requests/s",12}{"p50 ms",10}{"p99 ms",10}{"peak RSS MB",14}");
            for (var from = TimeSpan.Zero; from < duration; from += Window)
            {
                var to = from + Window;
                var inWindow = _requests.Where(r => r.Start >= from && r.Start < to).Select(r => r.Latency.TotalMilliseconds).ToArray();
                var rss = _memory.Where(m => m.At >= from && m.At < to).Select(m => m.Bytes).DefaultIfEmpty().Max();
                Console.WriteLine($"  {$"{from.TotalSeconds:F0}-{to.TotalSeconds:F0} s",-10}{inWindow.Length / Window.TotalSeconds,12:F0}{Percentile(inWindow, 0.50),10:F1}{Percentile(inWindow, 0.99),10:F1}{rss / 1e6,14:F1}");
            }
            Console.WriteLine($"  {"function",-10}{"requests",12}{"p50 ms",10}{"p99 ms",10}");
            for (var f = 0; f < Functions.Length; f++)
            {
                var latencies = _requests.Where(r => r.Function == f).Select(r => r.Latency.TotalMilliseconds).ToArray();
                Console.WriteLine($"  {Functions[f],-10}{latencies.Length,12}{Percentile(latencies, 0.50),10:F1}{Percentile(latencies, 0.99),10:F1}");
            }
            var all = _requests.Select(r => r.Latency.TotalMilliseconds).ToArray();
            var settled = _memory.Where(m => m.At >= Window && m.At < 2 * Window).Select(m => m.Bytes).DefaultIfEmpty().Max();
            var last = _memory.Where(m => m.At >= duration - Window).Select(m => m.Bytes).DefaultIfEmpty().Max();
            Console.WriteLine($"  total: {all.Length} requests, {all.Length / duration.TotalSeconds:F0}/s, p50 {Percentile(all, 0.50):F1} ms, p99 {Percentile(all, 0.99):F1} ms, {_errors.Count} errors");
            Console.WriteLine($"  memory: peak RSS {_memory.Max(m => m.Bytes) / 1e6:F1} MB; last {Window.TotalSeconds:F0} s against {Window.TotalSeconds:F0}-{2 * Window.TotalSeconds:F0} s: {last / 1e6:F1} MB vs {settled / 1e6:F1} MB ({(last - settled) * 100.0 / Math.Max(1, settled):+0.0;-0.0}%)");
            foreach (var error in _errors.Distinct().Take(10))
            {
                Console.WriteLine($"  error: {error}");
            }
            Console.WriteLine();
        }

        private static double Percentile(double[] values, double p)
        {
            if (values.Length == 0)
            {
                return double.NaN;
            }
            Array.Sort(values);
            return values[Math.Min(values.Length - 1, (int)Math.Ceiling(p * values.Length) - 1)];
        }
    }
}
