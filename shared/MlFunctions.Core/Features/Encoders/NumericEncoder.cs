using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features.Encoders;

/// <summary>numeric: impute, then standardize, min-max or leave as it is.</summary>
internal sealed class NumericEncoder : ColumnEncoder
{
    private readonly double _fill;
    private readonly double _center;
    private readonly double _scale;

    public NumericEncoder(ColumnSpec column) : base(column)
    {
        var stats = column.Fitted!;
        _fill = stats.Fill!.Value;
        (_center, _scale) = column.Scaling switch
        {
            "none" => (0d, 1d),
            // A constant column would divide by zero: it becomes 0 instead.
            "minmax" => (stats.Min ?? 0, stats.Max - stats.Min is > 0 and var range ? range : 1),
            _ => (stats.Mean ?? 0, stats.Std is > 0 and var std ? std : 1),
        };
    }

    public override int Width => 1;

    public override IEnumerable<string> Names => [Column.Name];

    public override void Encode(Cell cell, Span<float> output, long record)
    {
        double value;
        if (cell.IsMissing)
        {
            value = _fill;
        }
        else if (cell.Type == CellType.Bool || !cell.TryNumber(out value))
        {
            throw Refuse(cell, "a number", record);
        }
        output[0] = (float)((value - _center) / _scale);
    }
}
