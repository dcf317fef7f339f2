using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Tabular;

/// <summary>
/// A file of records read one row at a time, whatever its format (<see cref="TableFiles"/>): CSV, JSON
/// Lines or Parquet. Rows can be read once; memory does not grow with the file.
/// </summary>
public interface ITable : IDisposable
{
    /// <summary>The column names, as the file has them.</summary>
    IReadOnlyList<string> Header { get; }

    /// <summary>Rows read so far.</summary>
    long RowsRead { get; }

    /// <summary>The rows bound to <paramref name="columns"/>; a record that cannot be read ends the file with its problem (a 400).</summary>
    IEnumerable<IRow> Rows(IReadOnlyList<string> columns);

    /// <summary>
    /// The rows, where a record that cannot be read is that row's problem and the next is read as usual
    /// (batch scoring: line n is row n). Formats whose records cannot fail one by one (CSV, whose broken
    /// row ends the file; Parquet, whose rows are typed) give <see cref="Rows"/> as they are.
    /// </summary>
    IEnumerable<(IRow? Row, ProblemException? Problem)> RowsOrProblems(IReadOnlyList<string> columns) =>
        Rows(columns).Select(r => ((IRow?)r, (ProblemException?)null));
}
