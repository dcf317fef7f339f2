namespace MlFunctions.Core.Monitoring;

/// <summary>
/// The two drift statistics, written out here (no statistics library restores for Native AOT here; both
/// are a few lines): the population stability index over shared bins, and the two-sample
/// Kolmogorov-Smirnov statistic against the training percentiles, with its asymptotic p-value.
/// </summary>
public static class DriftMath
{
    /// <summary>Shares are floored at this, so an empty bin on one side does not make the index infinite.</summary>
    public const double Floor = 1e-4;

    /// <summary>PSI = Σ (actual - expected) · ln(actual / expected), over bins whose shares each sum to 1.</summary>
    public static double Psi(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        var psi = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (Math.Max(expected[i], Floor), Math.Max(actual[i], Floor));
            psi += (a - e) * Math.Log(a / e);
        }
        return psi;
    }

    /// <summary>
    /// D = the largest distance between the training distribution (its 101 percentiles, linearly
    /// interpolated) and the sample's empirical distribution, at the sample's values.
    /// </summary>
    public static double Ks(double[] percentiles, double[] sample)
    {
        if (percentiles.Length < 2 || sample.Length == 0)
        {
            return 0;
        }
        var sorted = sample.Order().ToArray();
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var training = Cdf(percentiles, sorted[i]);
            d = Math.Max(d, Math.Max(Math.Abs(training - (i / (double)sorted.Length)), Math.Abs(training - ((i + 1) / (double)sorted.Length))));
        }
        return d;
    }

    /// <summary>The asymptotic p-value of D for samples of n and m values (Kolmogorov's series).</summary>
    public static double KsPValue(double d, long n, long m)
    {
        if (n == 0 || m == 0 || d <= 0)
        {
            return 1;
        }
        var effective = Math.Sqrt(n * (double)m / (n + m));
        var lambda = (effective + 0.12 + (0.11 / effective)) * d;
        var sum = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = 2 * Math.Pow(-1, k - 1) * Math.Exp(-2 * k * k * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-12)
            {
                break;
            }
        }
        return Math.Clamp(sum, 0, 1);
    }

    /// <summary>The training distribution's CDF at <paramref name="x"/>, from its percentiles (repeated values jump, as an empirical CDF does).</summary>
    private static double Cdf(double[] percentiles, double x)
    {
        var last = percentiles.Length - 1;
        if (x < percentiles[0])
        {
            return 0;
        }
        if (x >= percentiles[last])
        {
            return 1;
        }
        // The last percentile at or below x, and the next one above it.
        var below = Array.FindLastIndex(percentiles, p => p <= x);
        var above = below + 1;
        var span = percentiles[above] - percentiles[below];
        var within = span > 0 ? (x - percentiles[below]) / span : 0;
        return (below + within) / last;
    }
}
