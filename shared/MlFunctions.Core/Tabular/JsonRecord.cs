using System.Text.Json;

namespace MlFunctions.Core.Tabular;

/// <summary>A JSON object as a row, its fields looked up by the column names asked for.</summary>
public sealed class JsonRecord(JsonElement record, IReadOnlyList<string> columns) : IRow
{
    public Cell this[int column] =>
        record.TryGetProperty(columns[column], out var value) ? Cell.FromJson(value) : Cell.Absent;
}
