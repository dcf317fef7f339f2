using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features.Encoders;

/// <summary>text: lower-cased word and character n-grams hashed into a fixed number of buckets.</summary>
internal sealed class TextEncoder(ColumnSpec column) : ColumnEncoder(column)
{
    private readonly TextHasher _hasher = new(
        column.Buckets ?? 256,
        column.WordNgrams is null ? (1, 2) : column.WordNgrams.Length == 2 ? (column.WordNgrams[0], column.WordNgrams[1]) : null,
        column.CharNgrams is { Length: 2 } chars ? (chars[0], chars[1]) : null);

    private readonly bool _binary = column.Binary ?? false;

    public override int Width => _hasher.Buckets;

    public override IEnumerable<string> Names => Enumerable.Range(0, _hasher.Buckets).Select(b => $"{Column.Name}#{b}");

    public override void Encode(Cell cell, Span<float> output, long record)
    {
        if (cell.IsMissing)
        {
            return;
        }
        if (cell.Type == CellType.Invalid)
        {
            throw Refuse(cell, "text", record);
        }
        _hasher.Count(cell.AsCategory()!, output, _binary);
    }
}
