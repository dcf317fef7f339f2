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
    /// interpolated) and the sample's empirical distribution. Equal sample values are taken together:
    /// both distributions are compared just below each distinct value and at it, so that repeated values
    /// (integers, text lengths, dates) do not look like drift when both sides repeat them alike.
    /// </summary>
    public static double Ks(double[] percentiles, double[] sample)
    {
        if (percentiles.Length < 2 || sample.Length == 0)
        {
            return 0;
        }
        var sorted = sample.Order().ToArray();
        var n = (double)sorted.Length;
        var d = 0.0;
        for (var i = 0; i < sorted.Length;)
        {
            var x = sorted[i];
            var j = i;
            while (j < sorted.Length && sorted[j] == x)
            {
                j++;
            }
            d = Math.Max(d, Math.Max(Math.Abs(Cdf(percentiles, x, strict: true) - (i / n)), Math.Abs(Cdf(percentiles, x, strict: false) - (j / n))));
            i = j;
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

    /// <summary>
    /// The training distribution's CDF at <paramref name="x"/> (or just below it, <paramref name="strict"/>),
    /// from its percentiles: linear between distinct percentiles, a jump where percentiles repeat.
    /// </summary>
    private static double Cdf(double[] percentiles, double x, bool strict)
    {
        var last = percentiles.Length - 1;
        var below = strict ? Array.FindLastIndex(percentiles, p => p < x) : Array.FindLastIndex(percentiles, p => p <= x);
        if (below < 0)
        {
            return 0;
        }
        if (below == last)
        {
            return 1;
        }
        var span = percentiles[below + 1] - percentiles[below];
        var within = span > 0 ? Math.Clamp((x - percentiles[below]) / span, 0, 1) : 0;
        return (below + within) / last;
    }
}
