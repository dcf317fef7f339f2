using System.Text;
using MlFunctions.Testing;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>Variants of penguins.csv for the pipeline scenarios.</summary>
internal static class PenguinFiles
{
    public static byte[] Original => File.ReadAllBytes(RepoPaths.Penguins);

    public static string[] Lines => File.ReadAllLines(RepoPaths.Penguins);

    /// <summary>samples/penguins.parquet, written by arrow-rs: doubles, a nullable int32, strings, nulls, three row groups.</summary>
    public static byte[] Parquet => File.ReadAllBytes(RepoPaths.PenguinsParquet);

    /// <summary>penguins.csv as JSON Lines, as pandas writes it: numbers as numbers, "NA" and "." as null, every field on every line.</summary>
    public static byte[] JsonLines() => Encoding.UTF8.GetBytes(string.Join('\n', ToJsonLines(Lines)) + "\n");

    /// <summary>
    /// A worse dataset: the species of the rows the trainer learns from are shuffled, while the rows it
    /// holds out (the same seeded split) keep theirs. Evaluated on those honest rows, the champion is right
    /// and the challenger guesses; shuffling the holdout too would leave both guessing, and the comparison
    /// a coin toss.
    /// </summary>
    public static byte[] ShuffledTrainingLabels()
    {
        var lines = Lines;
        var rows = lines.Skip(1).ToArray();
        var (train, _) = ModelTrainer.Split(rows.Length, 0.2, 42);
        var labels = train.Select(i => rows[i].Split(',', 2)[0]).ToArray();
        new Random(7).Shuffle(labels);
        for (var i = 0; i < train.Length; i++)
        {
            rows[train[i]] = labels[i] + "," + rows[train[i]].Split(',', 2)[1];
        }
        return Encoding.UTF8.GetBytes(string.Join('\n', [lines[0], .. rows]) + "\n");
    }

    /// <summary>penguins.csv with two species' labels swapped on every row.</summary>
    public static byte[] SwappedLabels(string a, string b) => Encoding.UTF8.GetBytes(string.Join('\n', Lines.Select((line, i) =>
    {
        var (label, rest) = (line.Split(',', 2)[0], line.Split(',', 2)[1]);
        return i == 0 ? line : (label == a ? b : label == b ? a : label) + "," + rest;
    })) + "\n");

    /// <summary>penguins.csv without the label column.</summary>
    public static byte[] WithoutLabel() =>
        Encoding.UTF8.GetBytes(string.Join('\n', Lines.Select(line => line.Split(',', 2)[1])) + "\n");

    /// <summary>The rows without a label, as a batch to score, with one row broken in the middle.</summary>
    public static (byte[] Csv, int Rows, int Broken) Batch()
    {
        var rows = Lines.Skip(1).Take(40).Select(line => line.Split(',', 2)[1]).ToList();
        const int broken = 17; // 1-based row number
        var cells = rows[broken - 1].Split(',');
        cells[1] = "a lot";
        rows[broken - 1] = string.Join(',', cells);
        return (Encoding.UTF8.GetBytes(string.Join('\n', [Lines[0].Split(',', 2)[1], .. rows]) + "\n"), rows.Count, broken);
    }

    /// <summary>
    /// The batch's rows as JSON Lines (numbers as numbers, "NA" as null, the broken row's text kept),
    /// with what the format allows and what a careless export adds: a blank line, a line that is not
    /// JSON, a line that is not an object, and a line longer than the limit. Rows are numbered by their
    /// non-blank lines; the indexes of the bad ones (1-based) come back too.
    /// </summary>
    public static (byte[] Jsonl, int Rows, int[] Bad) JsonLinesBatch()
    {
        var (csv, _, _) = Batch();
        var output = ToJsonLines(Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        output.Insert(5, "");                                   // blank: not a row
        output.Insert(10, "{\"Island\": \"Dream\", oops}");       // row 10: not JSON
        output.Insert(20, "[1, 2, 3]");                        // row 20: not an object
        output.Insert(30, "{\"Island\": \"" + new string('x', 1 << 20) + "\"}"); // row 30: over 1 MiB
        return (Encoding.UTF8.GetBytes(string.Join("\r\n", output)), output.Count - 1, [10, 20, 30]);
    }

    private static List<string> ToJsonLines(string[] csvLines)
    {
        var header = csvLines[0].Split(',');
        return [.. csvLines.Skip(1).Select(line => "{" + string.Join(", ", header.Zip(line.Split(','), (name, cell) => $"{System.Text.Json.JsonSerializer.Serialize(name)}: {Value(cell)}")) + "}")];
    }

    private static string Value(string cell) =>
        cell is "NA" or "" or "." ? "null" : double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) ? cell : System.Text.Json.JsonSerializer.Serialize(cell);
}
