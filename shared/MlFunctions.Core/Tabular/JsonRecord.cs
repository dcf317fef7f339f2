using System.Text.Json;

namespace MlFunctions.Core.Tabular;

/// <summary>
/// A JSON object as a row, its fields looked up by the column names asked for. <see cref="Record"/> can
/// be moved on to the next record, so a batch needs one instance, not one per record.
/// </summary>
public sealed class JsonRecord(IReadOnlyList<string> columns) : IRow
{
    public JsonRecord(JsonElement record, IReadOnlyList<string> columns) : this(columns) => Record = record;

    public JsonElement Record { get; set; }

    public Cell this[int column] =>
        Record.TryGetProperty(columns[column], out var value) ? Cell.FromJson(value) : Cell.Absent;
}
