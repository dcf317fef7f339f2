using System.Text.Json;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Tabular;

/// <summary>The 'records' member of a request: an array of JSON objects, within the limit.</summary>
public static class JsonRecords
{
    public static IReadOnlyList<JsonElement> Read(JsonElement records, FunctionLimits limits)
    {
        if (records.ValueKind != JsonValueKind.Array)
        {
            throw ProblemType.InvalidJson.With("'records' must be an array of objects.", "records");
        }
        var count = records.GetArrayLength();
        if (count > limits.MaxRecords)
        {
            throw ProblemType.TooManyRecords.With($"The request has {count} records; the limit is {limits.MaxRecords}.", "records");
        }
        var list = new List<JsonElement>(count);
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw ProblemType.InvalidRecord.With($"Record {list.Count} is {record.ValueKind}, not an object of column values.", "records", list.Count);
            }
            list.Add(record);
        }
        return list;
    }
}
