using System.Globalization;
using System.Numerics;
using MlFunctions.Core.Contract;
using Parquet;
using Parquet.Schema;

namespace MlFunctions.Core.Tabular;

/// <summary>
/// A Parquet file as a table, read with Parquet.Net one row group at a time and only the columns asked
/// for. The header is the file's top-level scalar columns (nested, list and map columns are not
/// features). Numbers of every width are numbers, booleans booleans, strings text, dates and times ISO
/// 8601 text; nulls, NaN and empty strings are missing. A row group is held whole while its rows are
/// read, so one is refused before it is read when its rows or uncompressed bytes are over the limits.
/// </summary>
public sealed class ParquetTable : ITable
{
    /// <summary>Cells held at once (a row group's rows times the columns read): about 400 MB.</summary>
    public const long MaxRowGroupCells = 1L << 24;

    /// <summary>Uncompressed bytes of the columns read from one row group.</summary>
    public const long MaxRowGroupBytes = 512L << 20;

    private readonly ParquetReader _reader;
    private readonly Dictionary<string, DataField> _fields;
    private readonly long _maxCells;

    private ParquetTable(ParquetReader reader, Dictionary<string, DataField> fields, long maxCells)
    {
        _reader = reader;
        _fields = fields;
        _maxCells = maxCells;
        Header = [.. fields.Keys];
    }

    public IReadOnlyList<string> Header { get; }

    public long RowsRead { get; private set; }

    /// <summary>Opens a Parquet file from a seekable stream, which the table then owns; a stream that is not Parquet is a 400.</summary>
    public static ParquetTable Open(Stream seekable, long maxRowGroupCells = MaxRowGroupCells)
    {
        try
        {
            var reader = Guard(() => ParquetReader.CreateAsync(seekable, new ParquetOptions { TreatByteArrayAsString = true }, leaveStreamOpen: false).GetAwaiter().GetResult());
            try
            {
                var fields = new Dictionary<string, DataField>(StringComparer.Ordinal);
                foreach (var field in Guard(() => reader.Schema.Fields))
                {
                    if (field is DataField { IsArray: false, MaxRepetitionLevel: 0 } data && Guard(() => IsScalar(data.ClrType)))
                    {
                        fields.TryAdd(data.Name, data);
                    }
                }
                return new ParquetTable(reader, fields, maxRowGroupCells);
            }
            catch
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
        catch
        {
            seekable.Dispose();
            throw;
        }
    }

    public IEnumerable<IRow> Rows(IReadOnlyList<string> columns)
    {
        var fields = columns.Select(name => _fields.TryGetValue(name, out var field)
            ? field
            : throw ProblemType.MissingColumn.With($"The Parquet file has no column '{name}'; its columns are: {string.Join(", ", Header)}.", name)).ToArray();
        var row = new GroupRow(fields.Length);
        for (var group = 0; group < Guard(() => _reader.RowGroupCount); group++)
        {
            using var reader = Guard(() => _reader.OpenRowGroupReader(group));
            var rows = CheckSize(reader, fields, group, _maxCells);
            for (var c = 0; c < fields.Length; c++)
            {
                row.Columns[c] = Read(reader, fields[c], (int)rows);
            }
            for (row.Index = 0; row.Index < rows; row.Index++)
            {
                RowsRead++;
                yield return row;
            }
        }
    }

    public void Dispose() => _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static long CheckSize(ParquetRowGroupReader reader, DataField[] fields, int group, long maxCells)
    {
        var rows = reader.RowCount;
        var bytes = fields.Sum(f => Guard(() => reader.GetMetadata(f)?.MetaData?.TotalUncompressedSize ?? 0));
        if (rows < 0 || rows * Math.Max(1, fields.Length) > maxCells || bytes > MaxRowGroupBytes)
        {
            throw ProblemType.InvalidParquet.With(string.Create(CultureInfo.InvariantCulture,
                $"Row group {group + 1} holds {rows:N0} rows ({bytes:N0} bytes uncompressed) of the {fields.Length} columns read; a row group may hold {maxCells:N0} cells and {MaxRowGroupBytes:N0} bytes. Write the file with smaller row groups (pyarrow: row_group_size)."),
                "rowGroup", group + 1);
        }
        return rows;
    }

    private static bool IsScalar(Type type) =>
        type == typeof(bool) || type == typeof(string) || type == typeof(ReadOnlyMemory<char>) || type == typeof(DateTime) || type == typeof(DateOnly)
        || type == typeof(TimeOnly) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || NumberReaders.ContainsKey(type);

    // One reader per numeric CLR type Parquet.Net maps physical and logical types to.
    private static readonly Dictionary<Type, Func<ParquetRowGroupReader, DataField, int, Cell[]>> NumberReaders = new()
    {
        [typeof(sbyte)] = ReadNumbers<sbyte>,
        [typeof(byte)] = ReadNumbers<byte>,
        [typeof(short)] = ReadNumbers<short>,
        [typeof(ushort)] = ReadNumbers<ushort>,
        [typeof(int)] = ReadNumbers<int>,
        [typeof(uint)] = ReadNumbers<uint>,
        [typeof(long)] = ReadNumbers<long>,
        [typeof(ulong)] = ReadNumbers<ulong>,
        [typeof(Half)] = ReadNumbers<Half>,
        [typeof(float)] = ReadNumbers<float>,
        [typeof(double)] = ReadNumbers<double>,
        [typeof(decimal)] = ReadNumbers<decimal>,
    };

    private static Cell[] Read(ParquetRowGroupReader reader, DataField field, int rows) => Guard(() =>
    {
        var type = field.ClrType;
        if (NumberReaders.TryGetValue(type, out var numbers))
        {
            return numbers(reader, field, rows);
        }
        if (type == typeof(bool))
        {
            return ReadValues<bool>(reader, field, rows, v => new Cell(CellType.Bool, v ? 1 : 0));
        }
        if (type == typeof(DateTime))
        {
            return ReadValues<DateTime>(reader, field, rows, v => Text(v.ToString("o", CultureInfo.InvariantCulture)));
        }
        if (type == typeof(DateTimeOffset))
        {
            return ReadValues<DateTimeOffset>(reader, field, rows, v => Text(v.ToString("o", CultureInfo.InvariantCulture)));
        }
        if (type == typeof(DateOnly))
        {
            return ReadValues<DateOnly>(reader, field, rows, v => Text(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        if (type == typeof(TimeOnly))
        {
            return ReadValues<TimeOnly>(reader, field, rows, v => Text(v.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)));
        }
        if (type == typeof(TimeSpan))
        {
            return ReadValues<TimeSpan>(reader, field, rows, v => Text(v.ToString("c", CultureInfo.InvariantCulture)));
        }
        var strings = new string?[rows];
        reader.ReadAsync(field, strings.AsMemory()!, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return Array.ConvertAll(strings, s => string.IsNullOrWhiteSpace(s) ? Cell.Missing : Text(s));
    });

    private static Cell[] ReadNumbers<T>(ParquetRowGroupReader reader, DataField field, int rows) where T : struct, INumberBase<T> =>
        ReadValues<T>(reader, field, rows, v => double.CreateSaturating(v) is var number && double.IsFinite(number) ? new Cell(CellType.Number, number) : Cell.Missing);

    private static Cell[] ReadValues<T>(ParquetRowGroupReader reader, DataField field, int rows, Func<T, Cell> cell) where T : struct
    {
        var values = new T?[rows];
        reader.ReadAsync<T>(field, values.AsMemory(), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return Array.ConvertAll(values, v => v is { } value ? cell(value) : Cell.Missing);
    }

    private static Cell Text(string text) => new(CellType.Text, Text: text);

    // Parquet.Net reports a broken file with whatever the failing step throws (IOException,
    // InvalidDataException, index and overflow errors from a lying footer): each is the file's fault.
    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not (ProblemException or OperationCanceledException or OutOfMemoryException))
        {
            throw ProblemType.InvalidParquet.With($"The Parquet file cannot be read: {e.Message}");
        }
    }

    private sealed class GroupRow(int columns) : IRow
    {
        public Cell[][] Columns { get; } = new Cell[columns][];

        public long Index { get; set; }

        public Cell this[int column] => Columns[column][Index];
    }
}
