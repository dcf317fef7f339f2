namespace MlFunctions.Core.Monitoring;

/// <summary>
/// models/&lt;model&gt;/&lt;version&gt;/profile.json: what the training rows looked like, per source column
/// and per prepared feature, so that traffic can be compared with it (drift). Bounded in size: at most
/// <see cref="ProfileBuilder.MaxCategories"/> values a column, <see cref="ProfileBuilder.MaxFeatures"/> features.
/// </summary>
public sealed record TrainingProfile(long Rows, ColumnProfile[] Columns, FeatureProfile[] Features, bool FeaturesTruncated);

/// <summary>
/// One source column: its missing rate, and its distribution. Numbers (and dates, in seconds since 1970,
/// and texts, by length): bins between the deciles (<see cref="Edges"/>, repeated values merged) with the
/// share of rows in each, and 101 percentiles for a two-sample test. Categories and booleans: the share
/// of each value among the present ones; the rest share "&lt;other&gt;".
/// </summary>
public sealed record ColumnProfile
{
    public required string Name { get; init; }

    public required string Kind { get; init; }

    public required long Present { get; init; }

    public required double MissingRate { get; init; }

    /// <summary>Bin i holds values in (Edges[i-1], Edges[i]]; the first is everything up to Edges[0], the last everything above the last edge.</summary>
    public double[]? Edges { get; init; }

    /// <summary>The share of present values in each bin: one more than <see cref="Edges"/>.</summary>
    public double[]? Shares { get; init; }

    public double[]? Percentiles { get; init; }

    public Dictionary<string, double>? Categories { get; init; }
}

/// <summary>One prepared feature (a slot of the vector the model scores), as a numeric column is profiled.</summary>
public sealed record FeatureProfile(string Name, double[] Edges, double[] Shares, double[] Percentiles);
