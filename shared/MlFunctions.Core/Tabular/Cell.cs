using System.Globalization;
using System.Text.Json;

namespace MlFunctions.Core.Tabular;

/// <summary>What a cell of a record holds, before a column's kind interprets it.</summary>
public enum CellType
{
    /// <summary>The record has no such field at all.</summary>
    Absent,

    /// <summary>Null, empty, or one of the missing-value markers.</summary>
    Missing,
    Number,
    Text,
    Bool,

    /// <summary>A JSON object or array, which no column kind accepts.</summary>
    Invalid,
}

/// <summary>One value of a record, from JSON or CSV.</summary>
public readonly record struct Cell(CellType Type, double Number = 0, string? Text = null)
{
    // The markers pandas and R read as missing too, and SAS's and Stata's "." (the penguins data has one
    // in Sex); "NA" as a category would need quoting as text.
    private static readonly string[] MissingMarkers = ["", "NA", "N/A", "NaN", "null", "NULL", "."];

    public static Cell Absent => new(CellType.Absent);

    public static Cell Missing => new(CellType.Missing);

    /// <summary>A CSV field: always text, or missing when empty or a marker.</summary>
    public static Cell FromCsv(string field) =>
        MissingMarkers.Contains(field.Trim(), StringComparer.Ordinal) ? Missing : new Cell(CellType.Text, Text: field);

    public static Cell FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Missing,
        JsonValueKind.Number => value.TryGetDouble(out var number) && double.IsFinite(number) ? new Cell(CellType.Number, number) : new Cell(CellType.Invalid),
        JsonValueKind.String => value.GetString() is { } text && text.Length > 0 ? new Cell(CellType.Text, Text: text) : Missing,
        JsonValueKind.True => new Cell(CellType.Bool, 1),
        JsonValueKind.False => new Cell(CellType.Bool, 0),
        _ => new Cell(CellType.Invalid),
    };

    public bool IsMissing => Type is CellType.Missing or CellType.Absent;

    /// <summary>The value as a number: a JSON number, or text that parses as one.</summary>
    public bool TryNumber(out double number)
    {
        number = Number;
        return Type == CellType.Number
            || (Type == CellType.Text && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number));
    }

    /// <summary>The value as a category name: text as it is, numbers and booleans in invariant form.</summary>
    public string? AsCategory() => Type switch
    {
        CellType.Text => Text,
        CellType.Number => Number.ToString(CultureInfo.InvariantCulture),
        CellType.Bool => Number != 0 ? "true" : "false",
        _ => null,
    };

    /// <summary>The value as a boolean: true/false, yes/no, y/n, t/f, 1/0.</summary>
    public bool TryBool(out bool value)
    {
        value = false;
        switch (Type)
        {
            case CellType.Bool:
            case CellType.Number when Number is 0 or 1:
                value = Number != 0;
                return true;
            case CellType.Text:
                var text = Text!.Trim().ToLowerInvariant();
                value = text is "true" or "yes" or "y" or "t" or "1";
                return value || text is "false" or "no" or "n" or "f" or "0";
            default:
                return false;
        }
    }

    /// <summary>How a person would read the value in an error message.</summary>
    public string Describe() => Type switch
    {
        CellType.Text => $"'{Text}'",
        CellType.Number => Number.ToString(CultureInfo.InvariantCulture),
        CellType.Bool => Number != 0 ? "true" : "false",
        CellType.Invalid => "an object or array",
        _ => "nothing",
    };
}
