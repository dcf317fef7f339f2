using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features.Encoders;

/// <summary>
/// datetime: the year as a standardised trend (the time in years, centred and scaled by the training
/// data), and each cyclic part (month, day of week, day of year, hour) as the sine and cosine of its
/// phase, so December sits next to January. A missing value is imputed as for numerics.
/// </summary>
internal sealed class DateTimeEncoder : ColumnEncoder
{
    private readonly string[] _parts;
    private readonly bool _year;
    private readonly string[] _cyclic;
    private readonly DateTime _fill;
    private readonly double _center;
    private readonly double _scale;

    public DateTimeEncoder(ColumnSpec column) : base(column)
    {
        var stats = column.Fitted!;
        _parts = column.Parts ?? DateValues.AllParts;
        _year = _parts.Contains(DateValues.Year);
        _cyclic = [.. _parts.Where(p => p != DateValues.Year)];
        _fill = DateValues.FromSeconds(stats.Fill!.Value);
        _center = DateValues.YearsFromSeconds(stats.Mean ?? 0);
        _scale = stats.Std is > 0 and var std ? DateValues.YearsFromSeconds(std) : 1;
    }

    public override int Width => (_year ? 1 : 0) + (2 * _cyclic.Length);

    public override IEnumerable<string> Names =>
        (_year ? [$"{Column.Name}:{DateValues.Year}"] : Array.Empty<string>())
            .Concat(_cyclic.SelectMany(part => new[] { $"{Column.Name}:{part}.sin", $"{Column.Name}:{part}.cos" }));

    public override void Encode(Cell cell, Span<float> output, long record)
    {
        DateTime value;
        if (cell.IsMissing)
        {
            value = _fill;
        }
        else if (!DateValues.TryRead(cell, Column.Format, out value))
        {
            throw Refuse(cell, Column.Format is null ? "a date (ISO 8601, such as 2024-03-01 or 2024-03-01T14:30:00)" : $"a date in the format '{Column.Format}'", record);
        }
        var at = 0;
        if (_year)
        {
            output[at++] = (float)((DateValues.YearsFromSeconds(DateValues.ToSeconds(value)) - _center) / _scale);
        }
        foreach (var part in _cyclic)
        {
            var angle = 2 * Math.PI * DateValues.Phase(value, part);
            output[at++] = (float)Math.Sin(angle);
            output[at++] = (float)Math.Cos(angle);
        }
    }
}
