namespace MlFunctions.Core.Monitoring;

/// <summary>monitoring/&lt;model&gt;/&lt;timestamp&gt;.json: captured traffic against the champion's training profile, per column.</summary>
public sealed record DriftReport(
    string Model, string Version, DateTimeOffset At, DateTimeOffset From, long Records, int Files, bool Truncated,
    double PsiThreshold, double KsThreshold, string[] Drifted, ColumnDrift[] Columns, string? Retraining = null)
{
    /// <summary>The report in one line, for logs and upload outcomes.</summary>
    public string Summary() =>
        $"drift of {Model} against {Version} ({Records:N0} records): {(Drifted.Length == 0 ? "nothing drifted" : "drifted: " + string.Join(", ", Drifted))}{(Retraining is null ? "" : "; " + Retraining)}";
}

/// <summary>The newest drift report in short, as a model's status shows it: an alert while columns have drifted.</summary>
public sealed record DriftSummary(DateTimeOffset At, string Version, long Records, string[] Drifted, bool Alert, string Report, string? Retraining);

/// <summary>
/// One column: how many captured values it had, its missing rate then and now, the PSI over the
/// training bins (missing values a bin of their own), and for numbers the KS statistic and its p-value.
/// </summary>
public sealed record ColumnDrift(string Name, string Kind, long Values, double MissingRate, double TrainingMissingRate, double Psi, double? Ks, double? PValue, bool Drifted);
