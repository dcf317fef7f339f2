using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Monitoring;

/// <summary>Builds a <see cref="TrainingProfile"/> from the training rows (as cells) and their prepared vectors.</summary>
public static class ProfileBuilder
{
    public const int MaxCategories = 50;
    public const int MaxFeatures = 2_000;
    public const string Other = "<other>";

    /// <param name="rows">The training rows, bound to <paramref name="vectorizer"/>'s columns.</param>
    /// <param name="vectors">The same rows' prepared features.</param>
    public static TrainingProfile Build(FeatureVectorizer vectorizer, IReadOnlyList<IRow> rows, IReadOnlyList<float[]> vectors)
    {
        var specs = vectorizer.Spec.Used.ToArray();
        var columns = specs.Select((column, c) => Column(column, rows.Select(r => r[c]))).ToArray();
        var width = Math.Min(vectorizer.Width, MaxFeatures);
        var features = new FeatureProfile[width];
        var values = new double[vectors.Count];
        for (var f = 0; f < width; f++)
        {
            for (var r = 0; r < vectors.Count; r++)
            {
                values[r] = vectors[r][f];
            }
            var (edges, shares, percentiles) = Numeric(values);
            features[f] = new FeatureProfile(vectorizer.Names[f], edges, shares, percentiles);
        }
        return new TrainingProfile(rows.Count, columns, features, vectorizer.Width > MaxFeatures);
    }

    /// <summary>A column's profile from its cells: numeric kinds by value, categorical and boolean kinds by frequency.</summary>
    public static ColumnProfile Column(ColumnSpec column, IEnumerable<Cell> cells)
    {
        var numbers = new List<double>();
        var categories = new CategoryAccumulator(MaxCategories);
        long missing = 0;
        foreach (var cell in cells)
        {
            if (cell.IsMissing)
            {
                missing++;
            }
            else if (Value(column, cell) is { } number)
            {
                numbers.Add(number);
            }
            else if (Category(column, cell) is { } category)
            {
                categories.Add(category);
            }
            else
            {
                missing++; // a value its kind cannot read counts as missing, as serving would refuse it
            }
        }
        var present = numbers.Count + categories.Count;
        var profile = new ColumnProfile { Name = column.Name, Kind = column.Kind, Present = present, MissingRate = present + missing == 0 ? 0 : missing / (double)(present + missing) };
        if (IsNumeric(column))
        {
            var (edges, bins, percentiles) = Numeric(numbers.ToArray());
            return profile with { Edges = edges, Shares = bins, Percentiles = percentiles };
        }
        var shares = categories.Top(MaxCategories).ToDictionary(p => p.Value, p => categories.Count == 0 ? 0 : p.Count / (double)categories.Count, StringComparer.Ordinal);
        var rest = 1 - shares.Values.Sum();
        if (rest > 1e-12)
        {
            shares[Other] = rest;
        }
        return profile with { Categories = shares };
    }

    /// <summary>Numbers, dates (seconds) and texts (length) are profiled by value.</summary>
    public static bool IsNumeric(ColumnSpec column) => column.Kind is ColumnKind.Numeric or ColumnKind.DateTime or ColumnKind.Text;

    /// <summary>The value a numeric kind profiles, or null when the cell is not one.</summary>
    public static double? Value(ColumnSpec column, Cell cell) => column.Kind switch
    {
        ColumnKind.Numeric => cell.Type != CellType.Bool && cell.TryNumber(out var number) ? number : null,
        ColumnKind.DateTime => DateValues.TryRead(cell, column.Format, out var date) ? DateValues.ToSeconds(date) : null,
        ColumnKind.Text => cell.AsCategory()?.Length,
        _ => null,
    };

    /// <summary>The value a categorical kind profiles, or null.</summary>
    public static string? Category(ColumnSpec column, Cell cell) => column.Kind switch
    {
        ColumnKind.Boolean => cell.TryBool(out var flag) ? (flag ? "true" : "false") : null,
        ColumnKind.Categorical => cell.Type == CellType.Invalid ? null : cell.AsCategory(),
        _ => null,
    };

    /// <summary>Decile edges (repeats merged), each bin's share of the values, and 101 percentiles.</summary>
    public static (double[] Edges, double[] Shares, double[] Percentiles) Numeric(double[] values)
    {
        if (values.Length == 0)
        {
            return ([], [1], []);
        }
        var sorted = values.Order().ToArray();
        double At(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
        var edges = Enumerable.Range(1, 9).Select(d => At(d / 10.0)).Distinct().ToArray();
        var shares = new double[edges.Length + 1];
        foreach (var value in sorted)
        {
            shares[Bin(edges, value)]++;
        }
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] /= sorted.Length;
        }
        return (edges, shares, [.. Enumerable.Range(0, 101).Select(p => At(p / 100.0))]);
    }

    /// <summary>The bin of <paramref name="value"/>: the first edge at or above it, or the last bin.</summary>
    public static int Bin(double[] edges, double value)
    {
        var at = Array.BinarySearch(edges, value);
        return at >= 0 ? at : ~at;
    }
}
