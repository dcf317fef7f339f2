using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Features;

/// <summary>A feature spec: the columns, in order, and how each becomes features. Saved with every model.</summary>
public sealed record FeatureSpec(ColumnSpec[] Columns)
{
    public const int MaxBuckets = 1 << 20;
    public const int MaxNgram = 8;
    public const int MaxCategories = 10_000;
    public const int MaxColumns = 10_000;
    public const int MaxNameLength = 256;

    /// <summary>The most features a spec may make (a vector's width, and so its names).</summary>
    public const int MaxWidth = 1 << 20;

    /// <summary>Columns that produce features.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<ColumnSpec> Used => Columns.Where(c => c.Kind != ColumnKind.Ignore);

    /// <summary>The vector's width, computed from the options alone, so a budget can be checked before any encoder is built.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Width => Used.Sum(c => (long)(c.Kind switch
    {
        ColumnKind.Categorical => (c.Fitted?.Categories?.Length ?? 0) + 1,
        ColumnKind.Text => c.Buckets ?? 256,
        ColumnKind.DateTime => c.Parts is { } parts ? parts.Sum(p => p == DateValues.Year ? 1 : 2) : 9,
        _ => 1,
    }));

    /// <summary>Checks every option, naming the offending column; with <paramref name="fitted"/>, also that stats are present where needed.</summary>
    public FeatureSpec Validate(bool fitted)
    {
        if (Columns is null || Columns.Length == 0 || Columns.Length > MaxColumns)
        {
            throw Invalid("spec.columns", $"a spec needs from 1 to {MaxColumns} columns, not {Columns?.Length ?? 0}.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Columns.Length; i++)
        {
            var column = Columns[i];
            var at = $"spec.columns[{i}]";
            if (column is null)
            {
                throw Invalid(at, "a column is an object, not null.");
            }
            if (string.IsNullOrWhiteSpace(column.Name) || column.Name.Length > MaxNameLength || !names.Add(column.Name))
            {
                throw Invalid(at + ".name", string.IsNullOrWhiteSpace(column.Name) ? "every column needs a name."
                    : column.Name.Length > MaxNameLength ? $"a name has at most {MaxNameLength} characters, not {column.Name.Length}."
                    : $"'{column.Name}' appears twice.");
            }
            at = $"{at} ('{column.Name}')";
            switch (column.Kind)
            {
                case ColumnKind.Numeric:
                    Check(column.Impute is null or "mean" or "median" or "constant", at, "impute", "mean, median or constant");
                    Check(column.Impute != "constant" || column.Constant is not null, at, "constant", "a number, since impute is constant");
                    Check(column.Scaling is null or "standardize" or "minmax" or "none", at, "scaling", "standardize, minmax or none");
                    Check(!fitted || column.Fitted?.Fill is not null, at, "fitted", "fitted statistics: fit the spec on training data first");
                    Check(column.Constant is null || double.IsFinite(column.Constant.Value), at, "constant", "a finite number");
                    break;
                case ColumnKind.Categorical:
                    Check(column.MaxCategories is null or (>= 1 and <= 10_000), at, "maxCategories", "a number from 1 to 10000");
                    Check(!fitted || column.Fitted?.Categories is not null, at, "fitted", "fitted categories: fit the spec on training data first");
                    CheckCategories(column.Fitted?.Categories, at);
                    break;
                case ColumnKind.Text:
                    Check(column.Buckets is null or (>= 1 and <= MaxBuckets), at, "buckets", $"a number from 1 to {MaxBuckets}");
                    Check(ValidNgrams(column.WordNgrams), at, "wordNgrams", $"[] or [min, max] with 1 <= min <= max <= {MaxNgram}");
                    Check(ValidNgrams(column.CharNgrams), at, "charNgrams", $"[] or [min, max] with 1 <= min <= max <= {MaxNgram}");
                    break;
                case ColumnKind.DateTime:
                    Check(column.Impute is null or "mean" or "median", at, "impute", "mean or median");
                    Check(DateValues.IsValidFormat(column.Format), at, "format", $"unset, mdy, dmy, or a .NET date format of at most {DateValues.MaxFormatLength} characters that reads back the dates it writes");
                    Check(column.Parts is null || (column.Parts.Length > 0 && column.Parts.All(DateValues.AllParts.Contains) && column.Parts.Distinct().Count() == column.Parts.Length),
                        at, "parts", $"a non-empty list of distinct parts from {string.Join(", ", DateValues.AllParts)}");
                    Check(!fitted || column.Fitted?.Fill is not null, at, "fitted", "fitted statistics: fit the spec on training data first");
                    Check(column.Fitted?.Fill is null || (double.IsFinite(column.Fitted.Fill.Value) && double.IsFinite(column.Fitted.Mean ?? 0) && double.IsFinite(column.Fitted.Std ?? 0)),
                        at, "fitted", "finite numbers of seconds");
                    break;
                case ColumnKind.Boolean:
                case ColumnKind.Ignore:
                    break;
                default:
                    throw Invalid(at + ".kind", $"'{column.Kind}' is not a kind; kinds are: {string.Join(", ", ColumnKind.All)}.");
            }
        }
        if (Width > MaxWidth)
        {
            throw Invalid("spec.columns", $"the columns make {Width:N0} features; a spec makes at most {MaxWidth:N0} (fewer buckets or categories).");
        }
        return this;
    }

    private static void CheckCategories(string[]? categories, string at)
    {
        if (categories is null)
        {
            return;
        }
        if (categories.Length > MaxCategories)
        {
            throw Invalid(at + ".fitted.categories", $"there are {categories.Length:N0} categories; at most {MaxCategories:N0}.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < categories.Length; c++)
        {
            if (categories[c] is null || !seen.Add(categories[c]))
            {
                throw Invalid($"{at}.fitted.categories[{c}]", categories[c] is null
                    ? "a category is text, not null (missing values have the unknown slot)."
                    : $"'{categories[c]}' appears twice; each category has one slot.");
            }
        }
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
