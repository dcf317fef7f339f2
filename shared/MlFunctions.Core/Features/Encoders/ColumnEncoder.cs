using MlFunctions.Core.Contract;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features.Encoders;

/// <summary>Turns one column's cell into its slice of the feature vector.</summary>
internal abstract class ColumnEncoder(ColumnSpec column)
{
    public ColumnSpec Column { get; } = column;

    public abstract int Width { get; }

    public abstract IEnumerable<string> Names { get; }

    /// <summary>Writes exactly <see cref="Width"/> values; <paramref name="output"/> starts zeroed.</summary>
    public abstract void Encode(Cell cell, Span<float> output, long record);

    public static ColumnEncoder Create(ColumnSpec column) => column.Kind switch
    {
        ColumnKind.Numeric => new NumericEncoder(column),
        ColumnKind.Categorical => new CategoricalEncoder(column),
        ColumnKind.Boolean => new BooleanEncoder(column),
        ColumnKind.Text => new TextEncoder(column),
        ColumnKind.DateTime => new DateTimeEncoder(column),
        _ => throw new ArgumentException($"No encoder for kind '{column.Kind}'.", nameof(column)),
    };

    protected ProblemException Refuse(Cell cell, string expected, long record) => ProblemType.InvalidRecord.With(
        $"Record {record}, column '{Column.Name}': {cell.Describe()} is not {expected}.", Column.Name, record);
}
