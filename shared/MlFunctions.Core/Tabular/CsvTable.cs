using MlFunctions.Core.Contract;
using Sylvan.Data.Csv;

namespace MlFunctions.Core.Tabular;

/// <summary>
/// A CSV file read one row at a time (RFC 4180: a header row, quoted fields with commas, quotes and
/// newlines inside), so that memory does not grow with the file.
/// </summary>
public sealed class CsvTable : ITable
{
    private readonly CsvDataReader _reader;
    private readonly string[] _trimmedHeader;

    private CsvTable(CsvDataReader reader)
    {
        _reader = reader;
        Header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        _trimmedHeader = Header.Select(h => h.Trim()).ToArray();
    }

    public IReadOnlyList<string> Header { get; }

    /// <summary>Rows read so far.</summary>
    public long RowsRead { get; private set; }

    public static CsvTable Open(TextReader text)
    {
        var options = new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', BufferSize = 1 << 16 };
        CsvDataReader reader;
        try
        {
            reader = CsvDataReader.Create(text, options);
        }
        catch (CsvFormatException e)
        {
            throw ProblemType.InvalidCsv.With($"The CSV header cannot be read: {e.Message}");
        }
        if (reader.FieldCount == 0)
        {
            reader.Dispose();
            throw ProblemType.InvalidCsv.With("The CSV is empty: it needs a header row.");
        }
        return new CsvTable(reader);
    }

    public static CsvTable Open(string path) => Open(new StreamReader(path));

    /// <summary>The rows, with cells in the order of <paramref name="columns"/>; a column the header lacks is a 400.</summary>
    public IEnumerable<IRow> Rows(IReadOnlyList<string> columns)
    {
        var ordinals = columns.Select(name =>
        {
            var index = Array.FindIndex(_trimmedHeader, h => string.Equals(h, name, StringComparison.Ordinal));
            return index >= 0
                ? index
                : throw ProblemType.MissingColumn.With($"The CSV has no column '{name}'; its columns are: {string.Join(", ", Header)}.", name);
        }).ToArray();
        var row = new CsvRow(_reader, ordinals);
        while (Read())
        {
            yield return row;
        }
    }

    private bool Read()
    {
        try
        {
            var more = _reader.Read();
            RowsRead += more ? 1 : 0;
            return more;
        }
        catch (CsvFormatException e)
        {
            throw ProblemType.InvalidCsv.With($"CSV row {RowsRead + 1} cannot be read: {e.Message}");
        }
    }

    public void Dispose() => _reader.Dispose();

    private sealed class CsvRow(CsvDataReader reader, int[] ordinals) : IRow
    {
        // A short row has no value for its trailing columns: they read as missing.
        public Cell this[int column] =>
            ordinals[column] < reader.RowFieldCount ? Cell.FromCsv(reader.GetString(ordinals[column])) : Cell.Missing;
    }
}
