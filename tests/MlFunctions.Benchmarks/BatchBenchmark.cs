using System.Diagnostics;
using System.Globalization;
using System.Text;
using MlFunctions.Testing;

namespace MlFunctions.Benchmarks;

/// <summary>
/// A large batch file dropped into the real local host's bucket folder (1 GiB by default: penguin rows
/// repeated, without the label), scored to predictions/penguins/big.jsonl. Prints the rows, sizes,
/// time and rows per second, and the host's resident memory before and at its peak (Linux's VmHWM,
/// reset before the drop), against the 256 MiB the streaming path is meant to stay under.
/// usage: dotnet run -c Release --project tests/MlFunctions.Benchmarks -- batch [MiB, 1024]
/// </summary>
internal static class BatchBenchmark
{
    private const long Budget = 256L * 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var size = (args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1024) * 1024 * 1024;
        var bucket = Directory.CreateTempSubdirectory("mlf-batch-bucket-").FullName;
        try
        {
            await using var host = await LoadRun.StartLocalAsync(bucket);
            await LoadRun.WaitForModelAsync(host.Client);
            var staging = Path.Combine(bucket, ".mlf-staging.csv");
            var rows = WriteCsv(staging, size);
            await Task.Delay(2000); // the host settles after training its sample model
            ResetPeak(host.ProcessId);
            var before = Status(host.ProcessId, "VmRSS");
            var folder = Directory.CreateDirectory(Path.Combine(bucket, "batch", "penguins")).FullName;
            var clock = Stopwatch.StartNew();
            File.Move(staging, Path.Combine(folder, "big.csv")); // dropped whole, as an upload completes
            var output = Path.Combine(bucket, "predictions", "penguins", "big.jsonl");
            long sampledPeak = before;
            while (!File.Exists(output))
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(30) || File.Exists(Path.ChangeExtension(output, ".status.json")))
                {
                    Console.Error.WriteLine("The batch was not scored: " + (File.Exists(Path.ChangeExtension(output, ".status.json")) ? File.ReadAllText(Path.ChangeExtension(output, ".status.json")) : "timed out"));
                    return 1;
                }
                sampledPeak = Math.Max(sampledPeak, Status(host.ProcessId, "VmRSS"));
                await Task.Delay(100);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var peak = Math.Max(sampledPeak, Status(host.ProcessId, "VmHWM"));
            var lines = CountLines(output);
            Console.WriteLine($"Batch: {size / (1024.0 * 1024):N0} MiB of CSV, {rows:N0} rows, dropped into the local host's bucket folder");
            Console.WriteLine($"  scored {lines:N0} lines ({new FileInfo(output).Length / (1024.0 * 1024):N0} MiB of jsonl) in {seconds:F1} s: {rows / seconds:N0} rows/s");
            Console.WriteLine($"  host memory: {before / (1024.0 * 1024):N0} MiB before, {peak / (1024.0 * 1024):N0} MiB at the peak: growth {(peak - before) / (1024.0 * 1024):N0} MiB (budget {Budget >> 20} MiB, {(double)(peak - before) / Budget:P0} of it)");
            return lines == rows && peak - before < Budget ? 0 : 1;
        }
        finally
        {
            Directory.Delete(bucket, recursive: true);
        }
    }

    private static long WriteCsv(string path, long size)
    {
        var source = File.ReadAllLines(RepoPaths.Penguins);
        // The label column (Species, the first) is left out, as a batch to score has none.
        var header = source[0][(source[0].IndexOf(',', StringComparison.Ordinal) + 1)..];
        var body = source.Skip(1).Select(l => l[(l.IndexOf(',', StringComparison.Ordinal) + 1)..] + "\n").ToArray();
        using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        file.Write(header + "\n");
        long written = header.Length + 1, rows = 0;
        while (written < size)
        {
            var line = body[rows % body.Length];
            file.Write(line);
            written += line.Length;
            rows++;
        }
        return rows;
    }

    private static long CountLines(string path)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        long lines = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return lines;
    }

    /// <summary>Writing 5 to clear_refs resets the peak resident size (VmHWM) to the current one.</summary>
    private static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>A /proc/&lt;pid&gt;/status size (VmRSS, VmHWM) in bytes.</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
