using MlFunctions.Testing;

namespace MlFunctions.Training.Tests;

/// <summary>penguins.csv, and a copy without the one row whose Sex is '.', for binary models of Sex.</summary>
internal static class PenguinData
{
    public static string Csv => RepoPaths.Penguins;

    public static string TwoSexes { get; } = WriteTwoSexes();

    private static string WriteTwoSexes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"penguins-two-sexes-{Environment.ProcessId}.csv");
        File.WriteAllLines(path, File.ReadLines(Csv).Where(line => !line.EndsWith(",.", StringComparison.Ordinal)));
        return path;
    }
}
