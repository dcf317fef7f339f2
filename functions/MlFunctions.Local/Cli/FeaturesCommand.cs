using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Local.Cli;

/// <summary>
/// features propose &lt;data&gt; [--exclude a,b]: print a proposed spec.
/// features fit &lt;data&gt; [--spec spec.json] --out fitted.json: fit a spec (proposed when none is given).
/// features &lt;data&gt; --spec spec.json [--out vectors.csv]: feature vectors as CSV (fitting the spec first if it is not fitted).
/// The data is a CSV, JSON Lines or Parquet file, told apart by extension.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var csv = new Argument<string>("data") { Description = "The data: CSV (RFC 4180, with a header), JSON Lines (.jsonl, .ndjson) or Parquet." };
        var spec = new Option<string>("--spec") { Description = "A feature spec (JSON); fitted first if it is not fitted.", Required = true, HelpName = "spec.json" };
        var output = new Option<string>("--out") { Description = "Where the vectors go (CSV with a header of feature names); standard output by default.", HelpName = "vectors.csv" };
        var command = new Command("features", "Feature specs: propose one from a data file, fit one, or apply one (the default: features data.csv --spec spec.json).") { csv, spec, output };
        command.SetAction(result => Guard(() => Transform(Existing(result.GetValue(csv)!), ReadSpec(result.GetValue(spec)!), result.GetValue(output), Console.Out, Console.Error)));

        var proposeCsv = new Argument<string>("data") { Description = "The data file: .csv, .jsonl, .ndjson or .parquet." };
        var exclude = new Option<string>("--exclude") { Description = "Columns to leave out, comma-separated.", HelpName = "col1,col2" };
        var propose = new Command("propose", "Print a proposed feature spec for the data (from its first 2,000 rows).") { proposeCsv, exclude };
        propose.SetAction(result => Guard(() =>
        {
            using var table = TableFiles.Open(Existing(result.GetValue(proposeCsv)!));
            Console.Out.WriteLine(FeatureSpecJson.Write(SpecProposer.Propose(table, result.GetValue(exclude)?.Split(',') ?? [])));
        }));

        var fitCsv = new Argument<string>("data") { Description = "The data file: .csv, .jsonl, .ndjson or .parquet." };
        var fitSpec = new Option<string>("--spec") { Description = "The spec to fit (the proposed one when left out).", HelpName = "spec.json" };
        var fitOut = new Option<string>("--out") { Description = "Where the fitted spec goes.", Required = true, HelpName = "fitted.json" };
        var fit = new Command("fit", "Fit a spec to the data (streamed, in constant memory) and print its statistics.") { fitCsv, fitSpec, fitOut };
        fit.SetAction(result => Guard(() =>
        {
            var path = Existing(result.GetValue(fitCsv)!);
            var fitted = Fit(path, result.GetValue(fitSpec) is { } specPath ? ReadSpec(specPath) : null, Console.Error);
            File.WriteAllText(result.GetValue(fitOut)!, FeatureSpecJson.Write(fitted));
            PrintSummary(fitted, Console.Out);
        }));
        command.Subcommands.Add(propose);
        command.Subcommands.Add(fit);
        return command;
    }

    /// <summary>Runs a features action: a missing file is a usage error (2), a spec or CSV that does not hold is the work failing (1).</summary>
    private static int Guard(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is ProblemException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"features: {e.Message}");
            return e is ProblemException ? 1 : LocalCommands.UsageError;
        }
    }

    private static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"there is no file '{path}'.");

    private static FeatureSpec ReadSpec(string path) => FeatureSpecJson.Read(File.ReadAllText(Existing(path)));

    private static FeatureSpec Fit(string csv, FeatureSpec? spec, TextWriter log)
    {
        if (spec is null)
        {
            using var sample = TableFiles.Open(csv);
            spec = SpecProposer.Propose(sample);
        }
        var clock = Stopwatch.StartNew();
        using var table = TableFiles.Open(csv);
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
        using var table = TableFiles.Open(csv);
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
