using System.Text.Json.Serialization;

namespace MlFunctions.Core.Features;

/// <summary>
/// How one input column becomes features. Options that do not apply to the kind are left out; the
/// statistics learnt by fitting go in <see cref="Fitted"/>.
/// </summary>
public sealed record ColumnSpec
{
    public required string Name { get; init; }

    /// <summary>numeric, categorical, boolean, text, datetime or ignore.</summary>
    public required string Kind { get; init; }

    /// <summary>Unless false, a record without this field is refused; null values are always allowed.</summary>
    /// <remarks>Nullable because source-generated JSON sets every init property, so an initialiser's default would be lost.</remarks>
    public bool? Required { get; init; }

    [JsonIgnore]
    public bool IsRequired => Required != false;

    /// <summary>numeric: mean (default), median or constant, for missing values; datetime: mean (default) or median.</summary>
    public string? Impute { get; init; }

    /// <summary>numeric: the value imputed when <see cref="Impute"/> is constant.</summary>
    public double? Constant { get; init; }

    /// <summary>numeric: standardize (default), minmax or none.</summary>
    public string? Scaling { get; init; }

    /// <summary>categorical: how many of the most frequent values get a slot (default 50); the rest share the unknown slot.</summary>
    public int? MaxCategories { get; init; }

    /// <summary>text: the number of hash buckets (default 256).</summary>
    public int? Buckets { get; init; }

    /// <summary>text: word n-gram sizes, [min, max] (default [1, 2]); [] for none.</summary>
    public int[]? WordNgrams { get; init; }

    /// <summary>text: character n-gram sizes, [min, max] (default none).</summary>
    public int[]? CharNgrams { get; init; }

    /// <summary>text: 1 for a present n-gram instead of its count.</summary>
    public bool? Binary { get; init; }

    /// <summary>
    /// datetime: how values are written. Unset: ISO 8601 (a date, or a date and time, with or without an
    /// offset) and unambiguous forms such as 2024/03/01 or 1 Mar 2024; "mdy" or "dmy": numeric dates with
    /// the month or the day first (3/1/2024, 01.03.2024, with or without a time); anything else is a .NET
    /// custom format string, such as "yyyyMMdd HHmm".
    /// </summary>
    public string? Format { get; init; }

    /// <summary>datetime: which features to make, from year, month, dayOfWeek, dayOfYear and hour (default all).</summary>
    public string[]? Parts { get; init; }

    public ColumnStats? Fitted { get; init; }
}
