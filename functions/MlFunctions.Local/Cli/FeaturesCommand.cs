using System.Diagnostics;
using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Local.Cli;

/// <summary>
/// features propose &lt;csv&gt; [--exclude a,b]: print a proposed spec.
/// features fit &lt;csv&gt; [--spec spec.json] --out fitted.json: fit a spec (proposed when none is given).
/// features &lt;csv&gt; --spec spec.json [--out vectors.csv]: feature vectors as CSV (fitting the spec first if it is not fitted).
/// </summary>
internal static class FeaturesCommand
{
    public static int Run(string[] args, TextWriter console, TextWriter log)
    {
        try
        {
            var action = args.FirstOrDefault() is "propose" or "fit" ? args[0] : "transform";
            var line = CommandLine.Parse(action == "transform" ? args : args[1..]);
            var csv = line.Positional.Count == 1 ? line.Positional[0] : throw new ArgumentException("give one CSV file.");
            switch (action)
            {
                case "propose":
                    using (var table = CsvTable.Open(csv))
                    {
                        console.WriteLine(FeatureSpecJson.Write(SpecProposer.Propose(table, line.Option("exclude")?.Split(',') ?? [])));
                    }
                    return 0;
                case "fit":
                    var fitted = Fit(csv, line.Option("spec") is { } specPath ? FeatureSpecJson.Read(File.ReadAllText(specPath)) : null, log);
                    File.WriteAllText(line.Require("out"), FeatureSpecJson.Write(fitted));
                    PrintSummary(fitted, console);
                    return 0;
                default:
                    Transform(csv, FeatureSpecJson.Read(File.ReadAllText(line.Require("spec"))), line.Option("out"), console, log);
                    return 0;
            }
        }
        catch (Exception e) when (e is ProblemException or ArgumentException or IOException)
        {
            log.WriteLine($"features: {e.Message}");
            return e is ProblemException ? 1 : 2;
        }
    }

    private static FeatureSpec Fit(string csv, FeatureSpec? spec, TextWriter log)
    {
        if (spec is null)
        {
            using var sample = CsvTable.Open(csv);
            spec = SpecProposer.Propose(sample);
        }
        var clock = Stopwatch.StartNew();
        using var table = CsvTable.Open(csv);
        var fitted = FeatureFitter.Fit(spec, table.Rows(spec.Columns.Select(c => c.Name).ToArray()),
            new Progress<long>(rows => log.WriteLine($"  fitted {rows:N0} rows ({rows / clock.Elapsed.TotalSeconds:N0} rows/s)")));
        log.WriteLine($"Fitted {table.RowsRead:N0} rows in {clock.Elapsed.TotalSeconds:F2} s.");
        return fitted;
    }

    private static void Transform(string csv, FeatureSpec spec, string? outPath, TextWriter console, TextWriter log)
    {
        var fittedAlready = spec.Columns.All(c => c.Kind is not (ColumnKind.Numeric or ColumnKind.Categorical) || c.Fitted is not null);
        var vectorizer = new FeatureVectorizer(fittedAlready ? spec : Fit(csv, spec, log));
        using var output = outPath is null ? null : new StreamWriter(outPath);
        var writer = output ?? console;
        writer.WriteLine(string.Join(',', vectorizer.Names.Select(Core.Formatting.PredictionCsv.Field)));
        using var table = CsvTable.Open(csv);
        var vector = new float[vectorizer.Width];
        long row = 0;
        foreach (var record in table.Rows(vectorizer.Columns))
        {
            vectorizer.Transform(record, vector, row++);
            writer.WriteLine(string.Join(',', vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        log.WriteLine($"Wrote {row:N0} vectors of {vectorizer.Width} features{(outPath is null ? "" : " to " + outPath)}.");
    }

    private static void PrintSummary(FeatureSpec spec, TextWriter console)
    {
        console.WriteLine($"{"column",-24} {"kind",-12} {"missing",8}  statistics");
        foreach (var column in spec.Columns)
        {
            var stats = column.Fitted;
            var detail = column.Kind switch
            {
                ColumnKind.Numeric => FormattableString.Invariant($"fill {stats?.Fill:G5}, mean {stats?.Mean:G5}, std {stats?.Std:G5}, range {stats?.Min:G5} to {stats?.Max:G5}"),
                ColumnKind.Categorical => $"{stats?.Categories?.Length} categories: {string.Join(", ", stats?.Categories?.Take(8) ?? [])}{(stats?.Categories?.Length > 8 ? ", ..." : "")}",
                _ => "",
            };
            console.WriteLine($"{column.Name,-24} {column.Kind,-12} {stats?.Missing,8}  {detail}");
        }
    }
}
