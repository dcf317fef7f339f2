using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Features;

/// <summary>A feature spec: the columns, in order, and how each becomes features. Saved with every model.</summary>
public sealed record FeatureSpec(ColumnSpec[] Columns)
{
    public const int MaxBuckets = 1 << 20;
    public const int MaxNgram = 8;

    /// <summary>Columns that produce features.</summary>
    public IEnumerable<ColumnSpec> Used => Columns.Where(c => c.Kind != ColumnKind.Ignore);

    /// <summary>Checks every option, naming the offending column; with <paramref name="fitted"/>, also that stats are present where needed.</summary>
    public FeatureSpec Validate(bool fitted)
    {
        if (Columns is null || Columns.Length == 0)
        {
            throw Invalid("spec.columns", "a spec needs at least one column.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Columns.Length; i++)
        {
            var column = Columns[i];
            var at = $"spec.columns[{i}]";
            if (string.IsNullOrWhiteSpace(column.Name) || !names.Add(column.Name))
            {
                throw Invalid(at + ".name", string.IsNullOrWhiteSpace(column.Name) ? "every column needs a name." : $"'{column.Name}' appears twice.");
            }
            at = $"{at} ('{column.Name}')";
            switch (column.Kind)
            {
                case ColumnKind.Numeric:
                    Check(column.Impute is null or "mean" or "median" or "constant", at, "impute", "mean, median or constant");
                    Check(column.Impute != "constant" || column.Constant is not null, at, "constant", "a number, since impute is constant");
                    Check(column.Scaling is null or "standardize" or "minmax" or "none", at, "scaling", "standardize, minmax or none");
                    Check(!fitted || column.Fitted?.Fill is not null, at, "fitted", "fitted statistics: fit the spec on training data first");
                    break;
                case ColumnKind.Categorical:
                    Check(column.MaxCategories is null or (>= 1 and <= 10_000), at, "maxCategories", "a number from 1 to 10000");
                    Check(!fitted || column.Fitted?.Categories is not null, at, "fitted", "fitted categories: fit the spec on training data first");
                    break;
                case ColumnKind.Text:
                    Check(column.Buckets is null or (>= 1 and <= MaxBuckets), at, "buckets", $"a number from 1 to {MaxBuckets}");
                    Check(ValidNgrams(column.WordNgrams), at, "wordNgrams", $"[] or [min, max] with 1 <= min <= max <= {MaxNgram}");
                    Check(ValidNgrams(column.CharNgrams), at, "charNgrams", $"[] or [min, max] with 1 <= min <= max <= {MaxNgram}");
                    break;
                case ColumnKind.Boolean:
                case ColumnKind.Ignore:
                    break;
                default:
                    throw Invalid(at + ".kind", $"'{column.Kind}' is not a kind; kinds are: {string.Join(", ", ColumnKind.All)}.");
            }
        }
        return this;
    }

    private static bool ValidNgrams(int[]? range) =>
        range is null || range.Length == 0 || (range.Length == 2 && range[0] >= 1 && range[0] <= range[1] && range[1] <= MaxNgram);

    private static void Check(bool ok, string at, string option, string expected)
    {
        if (!ok)
        {
            throw Invalid($"{at}.{option}", $"{option} must be {expected}.");
        }
    }

    private static ProblemException Invalid(string at, string detail) => ProblemType.InvalidSpec.With($"{at}: {detail}", at);
}
