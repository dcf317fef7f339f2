using System.Globalization;

namespace MlFunctions.Training.Retraining;

/// <summary>
/// How often a running job says it is alive (its status's updatedAt), and how long after the last
/// time a running job counts as stale: its worker was killed or timed out.
/// </summary>
public sealed record JobTimings(TimeSpan Heartbeat, TimeSpan StaleAfter)
{
    public static JobTimings Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(150));

    /// <summary>MLF_JOB_HEARTBEAT_SECONDS (30) and MLF_JOB_STALE_SECONDS (150) where set.</summary>
    public static JobTimings FromSettings(Func<string, string?> setting) => new(
        Seconds(setting("MLF_JOB_HEARTBEAT_SECONDS")) ?? Default.Heartbeat,
        Seconds(setting("MLF_JOB_STALE_SECONDS")) ?? Default.StaleAfter);

    private static TimeSpan? Seconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
}
