using System.Globalization;
using System.Text;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Models;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Uploads;

/// <summary>
/// Checks a training file (CSV, JSON Lines or Parquet) against its model spec before any job exists: the header, the label column
/// and the spec's columns, the row count, the labels (classes for classification, numbers for
/// regression) and the types in a sample of rows. The report is written for people.
/// </summary>
public static class TrainingDataCheck
{
    public const int MinimumRows = 10;
    private const int SampleRows = 1_000;
    private const int MaxReportedClasses = 20;

    /// <param name="Problem">Why the file cannot train the model, or null when it can.</param>
    public sealed record Result(long Rows, string Report, string? Problem);

    /// <summary>Checks the file read from <paramref name="data"/> row by row, so memory does not grow with the file.</summary>
    public static Result Check(Stream data, TableFormat format, string name, ModelSpec spec)
    {
        var report = new StringBuilder();
        try
        {
            using var table = TableFiles.Open(data, format);
            report.AppendLine(CultureInfo.InvariantCulture, $"{name}: columns {string.Join(", ", table.Header)}");
            var header = table.Header.Select(h => h.Trim()).ToHashSet(StringComparer.Ordinal);
            if (!header.Contains(spec.Label))
            {
                return Reject(report, $"The file has no label column '{spec.Label}'; its columns are: {string.Join(", ", table.Header)}.", 0);
            }
            var missing = (spec.Features?.Columns ?? []).Select(c => c.Name).Where(c => !header.Contains(c)).ToArray();
            if (missing.Length > 0)
            {
                return Reject(report, $"The file lacks the spec's feature columns: {string.Join(", ", missing)}.", 0);
            }
            return Scan(table, spec, report);
        }
        catch (ProblemException e)
        {
            return Reject(report, e.Message, 0);
        }
    }

    private static Result Scan(ITable table, ModelSpec spec, StringBuilder report)
    {
        var columns = table.Header.Select(h => h.Trim()).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        var label = Array.IndexOf(columns, spec.Label);
        var sample = columns.Select(_ => new SampleTypes()).ToArray();
        var classes = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0, unlabelled = 0, nonNumericLabels = 0;
        foreach (var row in table.Rows(columns))
        {
            rows++;
            if (rows <= SampleRows)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    sample[c].Add(row[c]);
                }
            }
            var value = row[label];
            if (value.IsMissing)
            {
                unlabelled++;
            }
            else if (spec.Task == ModelTask.Regression)
            {
                nonNumericLabels += value.TryNumber(out _) ? 0 : 1;
            }
            else if (value.AsCategory()?.Trim() is { } name && (classes.Count <= 10_000 || classes.ContainsKey(name)))
            {
                classes[name] = classes.GetValueOrDefault(name) + 1;
            }
        }
        var labelled = rows - unlabelled;
        report.AppendLine(CultureInfo.InvariantCulture, $"rows: {rows:N0} ({unlabelled:N0} without a '{spec.Label}' value, which training skips)");
        report.AppendLine(CultureInfo.InvariantCulture, $"types in the first {Math.Min(rows, SampleRows):N0} rows: {string.Join(", ", columns.Select((c, i) => $"{c} {sample[i].Describe()}"))}");
        if (spec.Task != ModelTask.Regression)
        {
            var shown = classes.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(MaxReportedClasses);
            report.AppendLine(CultureInfo.InvariantCulture, $"label '{spec.Label}': {classes.Count:N0} classes: {string.Join(", ", shown.Select(p => $"{p.Key} {p.Value:N0}"))}");
        }
        if (labelled < MinimumRows)
        {
            return Reject(report, $"Only {labelled:N0} rows have a '{spec.Label}' value; training needs at least {MinimumRows}.", rows);
        }
        if (spec.Task == ModelTask.Regression && nonNumericLabels > 0)
        {
            return Reject(report, $"A regression label must be a number; {nonNumericLabels:N0} '{spec.Label}' values are not.", rows);
        }
        if (spec.Task != ModelTask.Regression && classes.Count < 2)
        {
            return Reject(report, $"The label '{spec.Label}' needs at least 2 classes; the file has {classes.Count}.", rows);
        }
        if (spec.Task == ModelTask.Binary && classes.Count > 2)
        {
            return Reject(report, $"A binary label has 2 classes; '{spec.Label}' has {classes.Count:N0}.", rows);
        }
        foreach (var column in spec.Features?.Columns ?? [])
        {
            var types = sample[Array.IndexOf(columns, column.Name)];
            if (column.Kind == ColumnKind.Numeric && types.Text > 0)
            {
                return Reject(report, $"Column '{column.Name}' is numeric in the spec, but {types.Text:N0} sampled values are not numbers (such as '{types.FirstText}').", rows);
            }
        }
        report.AppendLine("accepted");
        return new Result(rows, report.ToString(), null);
    }

    private static Result Reject(StringBuilder report, string problem, long rows)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"rejected: {problem}");
        return new Result(rows, report.ToString(), problem);
    }

    /// <summary>How a column's sampled values parse.</summary>
    private sealed class SampleTypes
    {
        public long Missing { get; private set; }

        public long Numbers { get; private set; }

        public long Text { get; private set; }

        public string? FirstText { get; private set; }

        public void Add(Cell cell)
        {
            if (cell.IsMissing)
            {
                Missing++;
            }
            else if (cell.TryNumber(out _))
            {
                Numbers++;
            }
            else
            {
                Text++;
                FirstText ??= cell.Text;
            }
        }

        public string Describe()
        {
            var kind = Text == 0 && Numbers > 0 ? "numeric" : Numbers == 0 && Text > 0 ? "text" : Numbers + Text == 0 ? "empty" : "mixed";
            return Missing > 0 ? $"{kind} ({Missing:N0} missing)" : kind;
        }
    }
}
