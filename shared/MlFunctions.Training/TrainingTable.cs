using System.Security.Cryptography;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Training;

/// <summary>
/// A training CSV in memory: the feature columns' raw values and the label of every row that has one.
/// Training needs every row at once; fitting the feature spec on it still streams.
/// </summary>
internal sealed class TrainingTable
{
    private TrainingTable(List<string?[]> cells, List<string> labels, long skipped, string hash)
    {
        Cells = cells;
        Labels = labels;
        SkippedRows = skipped;
        DataHash = hash;
    }

    public List<string?[]> Cells { get; }

    public List<string> Labels { get; }

    /// <summary>Rows without a label, which cannot be learnt from.</summary>
    public long SkippedRows { get; }

    /// <summary>"sha256:" and the hex digest of the file's bytes.</summary>
    public string DataHash { get; }

    public static TrainingTable Load(string path, IReadOnlyList<string> columns, string label)
    {
        using var table = CsvTable.Open(path);
        var cells = new List<string?[]>();
        var labels = new List<string>();
        long skipped = 0;
        foreach (var row in table.Rows([.. columns, label]))
        {
            var value = row[columns.Count];
            if (value.IsMissing)
            {
                skipped++;
                continue;
            }
            labels.Add(value.Text!.Trim());
            cells.Add(Enumerable.Range(0, columns.Count).Select(c => row[c].IsMissing ? null : row[c].Text).ToArray());
        }
        if (labels.Count < 10)
        {
            throw ProblemType.InvalidRecord.With($"'{path}' has {labels.Count} rows with a '{label}' value; training needs at least 10.", label);
        }
        using var stream = File.OpenRead(path);
        return new TrainingTable(cells, labels, skipped, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>The rows at <paramref name="indices"/>, bound to the columns given to <see cref="Load"/>.</summary>
    public IEnumerable<IRow> Rows(IEnumerable<int> indices) => indices.Select(i => (IRow)new StoredRow(Cells[i]));

    private sealed class StoredRow(string?[] cells) : IRow
    {
        public Cell this[int column] => cells[column] is { } text ? Cell.FromCsv(text) : Cell.Missing;
    }
}
