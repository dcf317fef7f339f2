using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features.Encoders;

/// <summary>categorical: one-hot over the fitted categories, plus one slot for unknown and missing values.</summary>
internal sealed class CategoricalEncoder : ColumnEncoder
{
    public const string UnknownSlot = "<unknown>";

    private readonly Dictionary<string, int> _slots;

    public CategoricalEncoder(ColumnSpec column) : base(column)
    {
        var categories = column.Fitted!.Categories!;
        _slots = categories.Select((name, slot) => (name, slot)).ToDictionary(p => p.name, p => p.slot, StringComparer.Ordinal);
    }

    public override int Width => _slots.Count + 1;

    public override IEnumerable<string> Names =>
        Column.Fitted!.Categories!.Select(c => $"{Column.Name}={c}").Append($"{Column.Name}={UnknownSlot}");

    public override void Encode(Cell cell, Span<float> output, long record)
    {
        if (cell.Type == CellType.Invalid)
        {
            throw Refuse(cell, "a category (text, a number or a boolean)", record);
        }
        var value = cell.AsCategory();
        output[value is not null && _slots.TryGetValue(value, out var slot) ? slot : _slots.Count] = 1;
    }
}
