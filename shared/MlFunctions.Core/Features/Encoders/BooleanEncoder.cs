using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features.Encoders;

/// <summary>boolean: 1 or 0; missing is 0.</summary>
internal sealed class BooleanEncoder(ColumnSpec column) : ColumnEncoder(column)
{
    public override int Width => 1;

    public override IEnumerable<string> Names => [Column.Name];

    public override void Encode(Cell cell, Span<float> output, long record)
    {
        if (cell.IsMissing)
        {
            return;
        }
        if (!cell.TryBool(out var value))
        {
            throw Refuse(cell, "a boolean (true/false, yes/no, 1/0)", record);
        }
        output[0] = value ? 1 : 0;
    }
}
