using MlFunctions.Core.Contract;
using MlFunctions.Core.Features.Encoders;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features;

/// <summary>
/// A fitted spec compiled for transforming records into float vectors with stable feature names.
/// Training and serving both go through this class, so they cannot disagree. Safe for concurrent use.
/// </summary>
public sealed class FeatureVectorizer
{
    private readonly ColumnEncoder[] _encoders;
    private readonly int[] _offsets;

    public FeatureVectorizer(FeatureSpec spec)
    {
        Spec = spec.Validate(fitted: true);
        _encoders = spec.Used.Select(ColumnEncoder.Create).ToArray();
        _offsets = new int[_encoders.Length];
        for (var i = 1; i < _encoders.Length; i++)
        {
            _offsets[i] = _offsets[i - 1] + _encoders[i - 1].Width;
        }
        Width = _encoders.Length == 0 ? 0 : _offsets[^1] + _encoders[^1].Width;
        Names = _encoders.SelectMany(e => e.Names).ToArray();
        Columns = _encoders.Select(e => e.Column.Name).ToArray();
        FeatureColumns = _encoders.SelectMany((e, c) => Enumerable.Repeat(c, e.Width)).ToArray();
    }

    public FeatureSpec Spec { get; }

    /// <summary>The input columns read, in order: bind rows to these.</summary>
    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<string> Names { get; }

    /// <summary>For each feature, the index in <see cref="Columns"/> of the column it came from.</summary>
    public IReadOnlyList<int> FeatureColumns { get; }

    public int Width { get; }

    /// <summary>Writes the features of <paramref name="row"/> (bound to <see cref="Columns"/>) into <paramref name="output"/>.</summary>
    public void Transform(IRow row, Span<float> output, long record)
    {
        output[..Width].Clear();
        for (var i = 0; i < _encoders.Length; i++)
        {
            var encoder = _encoders[i];
            var cell = row[i];
            if (cell.Type == CellType.Absent && encoder.Column.IsRequired)
            {
                throw ProblemType.MissingColumn.With($"Record {record} has no field '{encoder.Column.Name}'.", encoder.Column.Name, record);
            }
            encoder.Encode(cell, output.Slice(_offsets[i], encoder.Width), record);
        }
    }

    public float[] Transform(IRow row, long record)
    {
        var vector = new float[Width];
        Transform(row, vector, record);
        return vector;
    }
}
