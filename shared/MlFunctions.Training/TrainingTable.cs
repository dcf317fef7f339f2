using System.Security.Cryptography;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Training;

/// <summary>
/// A training file (CSV, JSON Lines or Parquet) in memory: every column's cells and the label of every row that has one.
/// Every column is kept, not just the spec's, so that a champion with other features can be scored
/// on the same holdout rows. Training needs every row at once; fitting the feature spec still streams.
/// </summary>
internal sealed class TrainingTable
{
    private readonly string[] _columns;

    private TrainingTable(string[] columns, List<Cell[]> cells, List<string> labels, long skipped, string hash)
    {
        _columns = columns;
        Cells = cells;
        Labels = labels;
        SkippedRows = skipped;
        DataHash = hash;
    }

    public List<Cell[]> Cells { get; }

    public List<string> Labels { get; }

    /// <summary>Rows without a label, which cannot be learnt from.</summary>
    public long SkippedRows { get; }

    /// <summary>"sha256:" and the hex digest of the file's bytes.</summary>
    public string DataHash { get; }

    /// <summary>Reads the file (by its extension); a column of <paramref name="required"/> or the label missing from its header is a 400.</summary>
    public static TrainingTable Load(string path, IReadOnlyList<string> required, string label)
    {
        using var table = TableFiles.Open(path);
        var columns = table.Header.Select(h => h.Trim()).Where(h => h != label && h.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (required.FirstOrDefault(c => !columns.Contains(c)) is { } missing)
        {
            throw ProblemType.MissingColumn.With($"{Path.GetFileName(path)} has no column '{missing}'; its columns are: {string.Join(", ", table.Header)}.", missing);
        }
        var cells = new List<Cell[]>();
        var labels = new List<string>();
        long skipped = 0;
        foreach (var row in table.Rows([.. columns, label]))
        {
            var value = row[columns.Length];
            if (value.IsMissing)
            {
                skipped++;
                continue;
            }
            labels.Add(value.AsCategory()?.Trim() ?? "");
            cells.Add(Enumerable.Range(0, columns.Length).Select(c => row[c]).ToArray());
        }
        if (labels.Count < 10)
        {
            throw ProblemType.InvalidRecord.With($"'{path}' has {labels.Count} rows with a '{label}' value; training needs at least 10.", label);
        }
        using var stream = File.OpenRead(path);
        return new TrainingTable(columns, cells, labels, skipped, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>The rows at <paramref name="indices"/>, bound to <paramref name="columns"/> by name; a column the file lacks reads as absent.</summary>
    public IEnumerable<IRow> Rows(IEnumerable<int> indices, IReadOnlyList<string> columns)
    {
        var ordinals = columns.Select(c => Array.IndexOf(_columns, c)).ToArray();
        return indices.Select(i => (IRow)new StoredRow(Cells[i], ordinals));
    }

    private sealed class StoredRow(Cell[] cells, int[] ordinals) : IRow
    {
        public Cell this[int column] => ordinals[column] < 0 ? Cell.Absent : cells[ordinals[column]];
    }
}
