namespace MlFunctions.Core.Features;

/// <summary>What fitting learnt about a column.</summary>
public sealed record ColumnStats
{
    public long Count { get; init; }

    public long Missing { get; init; }

    /// <summary>numeric: the value missing ones are replaced with. datetime: the same, and so are Mean, Std, Min and Max, in seconds since 1970-01-01 (as written, offsets not applied).</summary>
    public double? Fill { get; init; }

    public double? Mean { get; init; }

    public double? Std { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>categorical: the values with a slot of their own, in slot order.</summary>
    public string[]? Categories { get; init; }
}
