using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Features;

/// <summary>
/// Streaming statistics of a numeric column in constant memory: Welford's mean and variance, min,
/// max, and a median from a fixed-size reservoir sample (exact up to <see cref="ReservoirSize"/> values).
/// </summary>
internal sealed class NumericAccumulator
{
    public const int ReservoirSize = 20_000;

    private readonly double[] _reservoir = new double[ReservoirSize];
    private readonly Random _random = new(17); // fixed: the same data gives the same median
    private long _count;
    private double _mean;
    private double _m2;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    public long Missing { get; set; }

    public void Add(double value)
    {
        _count++;
        var delta = value - _mean;
        _mean += delta / _count;
        _m2 += delta * (value - _mean);
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_count <= ReservoirSize)
        {
            _reservoir[_count - 1] = value;
        }
        else
        {
            var slot = _random.NextInt64(_count);
            if (slot < ReservoirSize)
            {
                _reservoir[slot] = value;
            }
        }
    }

    public ColumnStats ToStats(ColumnSpec spec)
    {
        if (_count == 0)
        {
            throw ProblemType.InvalidRecord.With($"Column '{spec.Name}' has no values to fit: every one is missing.", spec.Name);
        }
        var std = _count > 1 ? Math.Sqrt(_m2 / (_count - 1)) : 0;
        var fill = spec.Impute switch
        {
            "median" => Median(),
            "constant" => spec.Constant!.Value,
            _ => _mean,
        };
        return new ColumnStats { Count = _count, Missing = Missing, Fill = fill, Mean = _mean, Std = std, Min = _min, Max = _max };
    }

    private double Median()
    {
        var sample = _reservoir.AsSpan(0, (int)Math.Min(_count, ReservoirSize)).ToArray();
        Array.Sort(sample);
        var middle = sample.Length / 2;
        return sample.Length % 2 == 1 ? sample[middle] : (sample[middle - 1] + sample[middle]) / 2;
    }
}
