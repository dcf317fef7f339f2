using System.Globalization;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Monitoring;

/// <summary>
/// The drift job: reads the captured traffic of the last days (at most <see cref="MaxRecords"/> records,
/// newest files first), compares each source column with the champion's training profile (PSI, and KS
/// for numbers, dates and text lengths), and writes the report to monitoring/&lt;model&gt;/.
/// </summary>
public sealed class DriftMonitor(ObjectModelStore models, TimeProvider? clock = null)
{
    public const int MaxRecords = 100_000;
    public const int MaxFiles = 10_000;
    public const double DefaultPsi = 0.2;
    public const double DefaultKs = 0.1;
    public const double Significance = 0.01;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <param name="spec">The model's spec (its drift thresholds and window), as the caller read it.</param>
    public async Task<DriftReport> RunAsync(string model, ModelSpec? spec, int? days, CancellationToken cancellationToken)
    {
        ModelNames.Check(model, "model");
        var champion = await models.ReadChampionAsync(model, cancellationToken).ConfigureAwait(false)
            ?? throw ProblemType.ModelNotFound.With($"There is no model '{model}' with a champion.", "model");
        var profile = await models.ReadProfileAsync(model, champion.Version, cancellationToken).ConfigureAwait(false);
        var bundle = await models.ReadBundleAsync(model, champion.Version, cancellationToken).ConfigureAwait(false);
        if (profile is null || bundle is null)
        {
            throw ProblemType.ModelUnusable.With($"The champion of '{model}' ({champion.Version}) has no training profile (an ONNX model, or trained before profiles): retrain it to monitor drift.", "model");
        }
        var window = days ?? spec?.Drift?.Days ?? 7;
        var (psiThreshold, ksThreshold) = (spec?.Drift?.Psi ?? DefaultPsi, spec?.Drift?.Ks ?? DefaultKs);
        var now = _clock.GetUtcNow();
        var from = now.AddDays(-window);
        var columns = bundle.Features.Used.ToArray();
        var cells = columns.Select(_ => new List<Cell>()).ToArray();
        var (records, files, truncated) = await ReadCaptureAsync(model, from, columns, cells, cancellationToken).ConfigureAwait(false);
        var drift = columns.Select((column, c) => profile.Columns.FirstOrDefault(p => p.Name == column.Name) is { } trained
            ? Compare(column, trained, cells[c], psiThreshold, ksThreshold) : null).OfType<ColumnDrift>().ToArray();
        var report = new DriftReport(model, champion.Version, now, from, records, files, truncated, psiThreshold, ksThreshold,
            [.. drift.Where(d => d.Drifted).Select(d => d.Name)], drift);
        return report;
    }

    /// <summary>Keeps a report: monitoring/&lt;model&gt;/&lt;timestamp&gt;.json.</summary>
    public async Task<string> WriteAsync(DriftReport report, CancellationToken cancellationToken)
    {
        var key = $"{ReportPrefix(report.Model)}{report.At.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.json";
        await models.Objects.WriteJsonAsync(key, report, CoreJsonContext.Web.DriftReport, WriteCondition.Always, cancellationToken).ConfigureAwait(false);
        return key;
    }

    public static string ReportPrefix(string model) => $"monitoring/{ModelNames.Check(model, "model")}/";

    /// <summary>The newest report of <paramref name="model"/> and its key, or null when drift has not run (or its report is unreadable).</summary>
    public static async Task<(DriftReport Report, string Key)?> NewestAsync(IObjectStore bucket, string model, CancellationToken cancellationToken)
    {
        string? newest = null;
        await foreach (var key in bucket.ListAsync(ReportPrefix(model), cancellationToken).ConfigureAwait(false))
        {
            // Reports only: the claims beside them (runs/) are not JSON.
            newest = key.EndsWith(".json", StringComparison.Ordinal) ? key : newest;
        }
        try
        {
            return newest is not null && await bucket.ReadJsonAsync(newest, CoreJsonContext.Web.DriftReport, cancellationToken).ConfigureAwait(false) is { } read
                && read.Value.Drifted is not null && read.Value.Columns is not null && read.Value.Model is not null && read.Value.Version is not null
                ? (read.Value, newest) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ObjectTooLargeException)
        {
            return null;
        }
    }

    /// <summary>A column's captured values against its training profile.</summary>
    public static ColumnDrift Compare(ColumnSpec column, ColumnProfile trained, IReadOnlyList<Cell> cells, double psiThreshold, double ksThreshold)
    {
        var numeric = ProfileBuilder.IsNumeric(column);
        var categories = trained.Categories?.Keys.ToArray() ?? [];
        var other = Array.IndexOf(categories, ProfileBuilder.Other);
        // Bins: the numeric bins, or the categories and one for values training never saw (those share
        // "<other>" when training had one); then one for missing values.
        var bins = numeric ? (trained.Shares?.Length ?? 1) : categories.Length + 1;
        var counts = new double[bins + 1];
        var numbers = new List<double>();
        foreach (var cell in cells)
        {
            if (numeric && ProfileBuilder.Value(column, cell) is { } number)
            {
                numbers.Add(number);
                counts[ProfileBuilder.Bin(trained.Edges ?? [], number)]++;
            }
            else if (!numeric && ProfileBuilder.Category(column, cell) is { } category)
            {
                var at = Array.IndexOf(categories, category);
                counts[at >= 0 ? at : other >= 0 ? other : categories.Length]++;
            }
            else
            {
                counts[bins]++;
            }
        }
        var total = Math.Max(1, cells.Count);
        var present = 1 - trained.MissingRate;
        double[] expected = numeric
            ? [.. (trained.Shares ?? [1]).Select(s => s * present), trained.MissingRate]
            : [.. categories.Select(c => trained.Categories![c] * present), 0, trained.MissingRate];
        var psi = DriftMath.Psi(expected, [.. counts.Select(c => c / total)]);
        double? ks = null, p = null;
        if (numeric && numbers.Count > 0 && trained.Percentiles is { Length: > 1 } percentiles)
        {
            ks = DriftMath.Ks(percentiles, [.. numbers]);
            p = DriftMath.KsPValue(ks.Value, trained.Present, numbers.Count);
        }
        var drifted = cells.Count > 0 && (psi >= psiThreshold || (ks >= ksThreshold && p < Significance));
        return new ColumnDrift(column.Name, column.Kind, cells.Count, counts[bins] / total, trained.MissingRate, psi, ks, p, drifted);
    }

    private async Task<(long Records, int Files, bool Truncated)> ReadCaptureAsync(string model, DateTimeOffset from, ColumnSpec[] columns, List<Cell>[] cells, CancellationToken cancellationToken)
    {
        var prefix = $"{TrafficCapture.Prefix}{model}/";
        var first = from.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var keys = new List<string>();
        await foreach (var key in models.Objects.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (key.Length > prefix.Length + 10 && string.CompareOrdinal(key, prefix.Length, first, 0, 10) >= 0 && key.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }
        long records = 0;
        var files = 0;
        var names = columns.Select(c => c.Name).ToArray();
        foreach (var key in keys.OrderDescending(StringComparer.Ordinal).Take(MaxFiles))
        {
            var stored = await models.Objects.ReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                continue;
            }
            files++;
            ReadOnlyMemory<byte> rest = stored.Content;
            while (!rest.IsEmpty)
            {
                if (records >= MaxRecords)
                {
                    return (records, files, true);
                }
                var end = rest.Span.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
                if (Read(line, names) is { } row)
                {
                    for (var c = 0; c < names.Length; c++)
                    {
                        cells[c].Add(row[c]);
                    }
                    records++;
                }
            }
        }
        return (records, files, keys.Count > MaxFiles);
    }

    /// <summary>A captured line's record fields as cells, or null for a line that is not one (a capture file is ours, but one bad line must not stop the report).</summary>
    private static Cell[]? Read(ReadOnlyMemory<byte> line, string[] names)
    {
        if (line.IsEmpty)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            if (!document.RootElement.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return [.. names.Select(n => record.TryGetProperty(n, out var value) ? Cell.FromJson(value) : Cell.Absent)];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
