using System.Text;
using MlFunctions.Testing;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>Variants of penguins.csv for the pipeline scenarios.</summary>
internal static class PenguinFiles
{
    public static byte[] Original => File.ReadAllBytes(RepoPaths.Penguins);

    public static string[] Lines => File.ReadAllLines(RepoPaths.Penguins);

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
}
