using MlFunctions.Core.Tabular;

namespace MlFunctions.Training;

/// <summary>The rows a training run held out, raw, so that any model (with its own feature spec) can be scored on them.</summary>
public sealed class HoldoutSet
{
    private readonly TrainingTable _table;
    private readonly int[] _indices;

    internal HoldoutSet(TrainingTable table, int[] indices)
    {
        _table = table;
        _indices = indices;
        Labels = indices.Select(i => table.Labels[i]).ToArray();
    }

    public string[] Labels { get; }

    /// <summary>Every row of a table: a fixed evaluation set.</summary>
    internal static HoldoutSet All(TrainingTable table) => new(table, [.. Enumerable.Range(0, table.Labels.Count)]);

    /// <summary>The rows bound to <paramref name="columns"/> by name, in the order of <see cref="Labels"/>.</summary>
    public IEnumerable<IRow> Rows(IReadOnlyList<string> columns) => _table.Rows(_indices, columns);
}
