using System.Text.Json;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Tabular;

/// <summary>
/// A JSON Lines file (.jsonl, .ndjson) as a table: the first record's fields are the header (pandas'
/// <c>to_json(orient="records", lines=True)</c> and Spark write every field on every line, nulls too);
/// a field a later record lacks reads as missing, and fields the header lacks are not columns.
/// </summary>
public sealed class JsonLinesTable : ITable
{
    private readonly IEnumerator<(JsonElement Record, ProblemException? Problem)> _records;
    private string[]? _header;
    private bool? _peeked; // whether the first record was read for the header (and is still to be handed out)

    private JsonLinesTable(IEnumerator<(JsonElement Record, ProblemException? Problem)> records) => _records = records;

    /// <summary>The first record's fields, read when first asked for: an empty file, or a first line that is not an object, is a 400.</summary>
    public IReadOnlyList<string> Header => _header ??= ReadHeader();

    public long RowsRead { get; private set; }

    /// <summary>Nothing is read until the header or the rows are asked for; batch scoring never asks for the header.</summary>
    public static JsonLinesTable Open(Stream stream) => new(JsonLines.Records(stream).GetEnumerator());

    public IEnumerable<IRow> Rows(IReadOnlyList<string> columns) =>
        RowsOrProblems(columns).Select(r => r.Row ?? throw r.Problem!);

    public IEnumerable<(IRow? Row, ProblemException? Problem)> RowsOrProblems(IReadOnlyList<string> columns)
    {
        var row = new JsonRecord(columns);
        while (_peeked == true || _records.MoveNext())
        {
            _peeked = false;
            RowsRead++;
            var (record, problem) = _records.Current;
            if (problem is not null)
            {
                yield return (null, problem);
                continue;
            }
            row.Record = record;
            yield return (row, null);
        }
    }

    public void Dispose() => _records.Dispose();

    private string[] ReadHeader()
    {
        if (_peeked is not null)
        {
            throw new InvalidOperationException("The header is read before the rows.");
        }
        if (!(_peeked = _records.MoveNext()).Value)
        {
            throw ProblemType.InvalidJson.With("The JSON Lines file is empty: it needs one object a line, the first naming the columns.");
        }
        if (_records.Current.Problem is { } problem)
        {
            throw problem;
        }
        return _records.Current.Record.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal).ToArray();
    }
}
