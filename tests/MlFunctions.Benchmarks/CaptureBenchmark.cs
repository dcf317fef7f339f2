using System.Diagnostics;
using System.Globalization;
using MlFunctions.Testing;

namespace MlFunctions.Benchmarks;

/// <summary>
/// What data capture costs predict: the Native AOT Azure custom handler under predict-only load (8
/// clients), in alternating rounds with the model's spec capturing nothing and every record (rate 1),
/// same process, same bucket. Prints each round's throughput, p50 and p99, and the p50 ratio of capture
/// on to capture off over all rounds; and how many lines were written or dropped.
/// </summary>
internal static class CaptureBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        const int Clients = 8;
        var bucket = Directory.CreateTempSubdirectory("mlf-capture-bench-").FullName;
        try
        {
            await using (var seeding = await LoadRun.StartLocalAsync(bucket))
            {
                await LoadRun.WaitForModelAsync(seeding.Client);
            }
            var spec = Path.Combine(bucket, "models", "penguins", "spec.json");
            var settings = new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = bucket };
            await using var handler = await HttpProcess.StartAsync(new ProcessStartInfo(await AotPublisher.PublishAsync("functions", "MlFunctions.Azure")), "FUNCTIONS_CUSTOMHANDLER_PORT", settings);
            Console.WriteLine($"Capture: predict (penguins, 2 records) from {Clients} clients against the AOT Azure handler, {rounds} rounds of {seconds} s each way, alternating");
            Console.WriteLine($"{"capture",-10}{"requests/s",12}{"p50 ms",10}{"p99 ms",10}");
            var p50 = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
            for (var round = 0; round < rounds * 2; round++)
            {
                var capture = round % 2 == 1;
                await File.WriteAllTextAsync(spec, capture
                    ? """{"task": "multiclass", "label": "Species", "capture": {"rate": 1}}"""
                    : """{"task": "multiclass", "label": "Species"}""");
                await Task.Delay(TimeSpan.FromSeconds(11)); // the handler re-reads a spec within 10 s
                var (rate, median, tail) = await DriveAsync(handler.Client, Clients, TimeSpan.FromSeconds(seconds));
                p50[capture].Add(median);
                Console.WriteLine($"{(capture ? "rate 1" : "off"),-10}{rate,12:F0}{median,10:F2}{tail,10:F2}");
            }
            var lines = Directory.Exists(Path.Combine(bucket, "capture")) ? Directory.EnumerateFiles(Path.Combine(bucket, "capture"), "*.jsonl", SearchOption.AllDirectories).Sum(f => File.ReadLines(f).LongCount()) : 0;
            Console.WriteLine($"p50 with capture / without: {p50[true].Average() / p50[false].Average():F3} (under 1.05 is the target); {lines:N0} records captured");
            return 0;
        }
        finally
        {
            Directory.Delete(bucket, recursive: true);
        }
    }

    private static async Task<(double PerSecond, double P50, double P99)> DriveAsync(HttpClient client, int clients, TimeSpan duration)
    {
        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var answer = await client.PostAsync("/api/predict/penguins", new StringContent(LoadRun.LoadRequests.Penguins));
                answer.EnsureSuccessStatusCode();
                latencies[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all.Length / clock.Elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
    }
}
