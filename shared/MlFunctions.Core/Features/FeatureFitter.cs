using MlFunctions.Core.Contract;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features;

/// <summary>Learns a spec's statistics from training rows in one streaming pass.</summary>
public static class FeatureFitter
{
    /// <summary>Fits <paramref name="spec"/> on rows bound to its columns, in spec order; reports every 100,000 rows.</summary>
    public static FeatureSpec Fit(FeatureSpec spec, IEnumerable<IRow> rows, IProgress<long>? progress = null)
    {
        spec.Validate(fitted: false);
        var numeric = new NumericAccumulator?[spec.Columns.Length];
        var categorical = new CategoryAccumulator?[spec.Columns.Length];
        for (var c = 0; c < spec.Columns.Length; c++)
        {
            var column = spec.Columns[c];
            numeric[c] = column.Kind is ColumnKind.Numeric or ColumnKind.DateTime ? new NumericAccumulator() : null;
            categorical[c] = column.Kind == ColumnKind.Categorical ? new CategoryAccumulator(column.MaxCategories ?? 50) : null;
        }
        long index = 0;
        foreach (var row in rows)
        {
            for (var c = 0; c < spec.Columns.Length; c++)
            {
                if (numeric[c] is { } numbers)
                {
                    AddNumber(numbers, row[c], spec.Columns[c], index);
                }
                else if (categorical[c] is { } categories)
                {
                    AddCategory(categories, row[c]);
                }
            }
            if (++index % 100_000 == 0)
            {
                progress?.Report(index);
            }
        }
        if (index == 0)
        {
            throw ProblemType.InvalidRecord.With("There are no rows to fit the spec on.");
        }
        var columns = spec.Columns.Select((column, c) => column with
        {
            Fitted = numeric[c]?.ToStats(column) ?? categorical[c]?.ToStats() ?? column.Fitted,
        }).ToArray();
        return new FeatureSpec(columns);
    }

    private static void AddNumber(NumericAccumulator numbers, Cell cell, ColumnSpec column, long row)
    {
        if (cell.IsMissing)
        {
            numbers.Missing++;
        }
        else if (column.Kind == ColumnKind.DateTime)
        {
            if (!DateValues.TryRead(cell, column.Format, out var date))
            {
                throw ProblemType.InvalidRecord.With($"Row {row}, column '{column.Name}': {cell.Describe()} is not a date{(column.Format is null ? "" : $" in the format '{column.Format}'")}.", column.Name);
            }
            numbers.Add(DateValues.ToSeconds(date));
        }
        else if (cell.TryNumber(out var value))
        {
            numbers.Add(value);
        }
        else
        {
            throw ProblemType.InvalidRecord.With($"Row {row}, column '{column.Name}': {cell.Describe()} is not a number.", column.Name);
        }
    }

    private static void AddCategory(CategoryAccumulator categories, Cell cell)
    {
        if (cell.AsCategory() is { } value)
        {
            categories.Add(value);
        }
        else
        {
            categories.Missing++;
        }
    }
}
