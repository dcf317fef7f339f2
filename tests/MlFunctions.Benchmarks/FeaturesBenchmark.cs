using System.Diagnostics;
using System.Globalization;
using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;
using MlFunctions.Testing;

namespace MlFunctions.Benchmarks;

/// <summary>
/// Fits and transforms a generated CSV of N rows and of 10 N rows, each in its own process, and prints
/// rows per second and peak memory: streaming means the peak should not grow with the file.
/// </summary>
internal static class FeaturesBenchmark
{
    private static readonly FeatureSpec Spec = new(
    [
        new ColumnSpec { Name = "id", Kind = ColumnKind.Ignore },
        new ColumnSpec { Name = "age", Kind = ColumnKind.Numeric, Impute = "median" },
        new ColumnSpec { Name = "income", Kind = ColumnKind.Numeric, Scaling = "minmax" },
        new ColumnSpec { Name = "city", Kind = ColumnKind.Categorical },
        new ColumnSpec { Name = "segment", Kind = ColumnKind.Categorical },
        new ColumnSpec { Name = "member", Kind = ColumnKind.Boolean },
        new ColumnSpec { Name = "note", Kind = ColumnKind.Text, Buckets = 64, WordNgrams = [1, 1] },
    ]);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "--child")
        {
            return Child(args[1]);
        }
        var rows = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var folder = Directory.CreateTempSubdirectory("mlf-features-bench-").FullName;
        try
        {
            Console.WriteLine($"Features benchmark: fit + transform of a generated CSV ({Spec.Columns.Length} columns: numeric, categorical, boolean, text), one process per size");
            var results = new List<(long Rows, double PerSecond, long PeakBytes)>();
            foreach (var size in new[] { rows, rows * 10 })
            {
                var csv = Path.Combine(folder, $"{size}.csv");
                var clock = Stopwatch.StartNew();
                Generate(csv, size);
                Console.WriteLine($"  generated {size:N0} rows ({new FileInfo(csv).Length / 1e6:N0} MB) in {clock.Elapsed.TotalSeconds:F1} s");
                var child = await ProcessRunner.RunAsync(Environment.ProcessPath!, ["features", "--child", csv], TimeSpan.FromMinutes(20));
                if (child.ExitCode != 0)
                {
                    throw new InvalidOperationException(child.Output + child.Error);
                }
                var parts = child.Output.Trim().Split(' ');
                results.Add((size, double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture)));
                File.Delete(csv);
            }
            foreach (var (size, perSecond, peak) in results)
            {
                Console.WriteLine($"{size,12:N0} rows: {perSecond,12:N0} rows/s (fit and transform, two passes), peak memory {peak / 1e6,7:N1} MB");
            }
            Console.WriteLine($"Peak memory at 10x the rows: {(double)results[1].PeakBytes / results[0].PeakBytes:F2}x");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>In its own process, so that its peak memory is its own: prints "rows-per-second peak-bytes".</summary>
    private static int Child(string csv)
    {
        var clock = Stopwatch.StartNew();
        FeatureSpec fitted;
        using (var table = CsvTable.Open(csv))
        {
            fitted = FeatureFitter.Fit(Spec, table.Rows(Spec.Columns.Select(c => c.Name).ToArray()));
        }
        var vectorizer = new FeatureVectorizer(fitted);
        var vector = new float[vectorizer.Width];
        double checksum = 0;
        long rows = 0;
        using (var table = CsvTable.Open(csv))
        {
            foreach (var row in table.Rows(vectorizer.Columns))
            {
                vectorizer.Transform(row, vector, rows++);
                checksum += vector[0];
            }
        }
        var perSecond = rows / clock.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        Console.Error.WriteLine($"checksum {checksum}");
        Console.WriteLine(FormattableString.Invariant($"{perSecond:F0} {self.PeakWorkingSet64}"));
        return 0;
    }

    private static void Generate(string path, long rows)
    {
        string[] cities = ["Oslo", "Lima", "Pune", "Kyiv", "Rome", "Doha", "Bern", "Riga", "Baku", "Apia", "Suva", "Male", "Lome", "Agra", "Cork", "Nice", "Graz", "Bonn", "Kobe", "Omsk"];
        string[] words = ["fast", "slow", "blue", "late", "order", "refund", "great", "poor", "service", "price"];
        var random = new Random(42);
        using var writer = new StreamWriter(path, false, System.Text.Encoding.UTF8, 1 << 20);
        writer.WriteLine("id,age,income,city,segment,member,note");
        for (long i = 0; i < rows; i++)
        {
            var age = random.Next(20) == 0 ? "" : random.Next(18, 90).ToString(CultureInfo.InvariantCulture);
            var note = $"\"{words[random.Next(10)]} {words[random.Next(10)]}, {words[random.Next(10)]}\"";
            writer.WriteLine(FormattableString.Invariant(
                $"{i},{age},{random.NextDouble() * 100_000:F2},{cities[random.Next(20)]},S{random.Next(5)},{(random.Next(2) == 0 ? "yes" : "no")},{note}"));
        }
    }
}
