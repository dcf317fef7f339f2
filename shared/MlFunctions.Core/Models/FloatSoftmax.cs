using System.Runtime.Intrinsics;

namespace MlFunctions.Core.Models;

/// <summary>
/// Softmax in float, four classes at a time with Vector128.Exp: ML.NET computes these probabilities in
/// float too, and scalar exp was most of the time it took to score a small linear model. Vector128.Exp
/// is a software routine, so it gives the same bits under the JIT and Native AOT.
/// </summary>
internal static class FloatSoftmax
{
    public static void Apply(Span<double> scores)
    {
        if (scores.Length <= 4)
        {
            ApplyOneVector(scores);
            return;
        }
        var max = double.NegativeInfinity;
        foreach (var score in scores)
        {
            max = Math.Max(max, score);
        }
        Span<float> exps = stackalloc float[(scores.Length + 3) & ~3];
        var sum = 0f;
        for (var i = 0; i < scores.Length; i += 4)
        {
            // Shifted by the largest score (log-sum-exp), so exp never overflows; padding lanes give exp(-inf) = 0.
            var lanes = Vector128.Create(
                (float)(scores[i] - max),
                i + 1 < scores.Length ? (float)(scores[i + 1] - max) : float.NegativeInfinity,
                i + 2 < scores.Length ? (float)(scores[i + 2] - max) : float.NegativeInfinity,
                i + 3 < scores.Length ? (float)(scores[i + 3] - max) : float.NegativeInfinity);
            var e = Vector128.Exp(lanes);
            e.CopyTo(exps[i..]);
            sum += Vector128.Sum(e);
        }
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = exps[i] / sum;
        }
    }

    /// <summary>Up to four classes: one vector, no buffer.</summary>
    private static void ApplyOneVector(Span<double> scores)
    {
        var n = scores.Length;
        var lanes = Vector128.Create(
            (float)scores[0],
            n > 1 ? (float)scores[1] : float.NegativeInfinity,
            n > 2 ? (float)scores[2] : float.NegativeInfinity,
            n > 3 ? (float)scores[3] : float.NegativeInfinity);
        var max = Math.Max(Math.Max(lanes[0], lanes[1]), Math.Max(lanes[2], lanes[3]));
        var e = Vector128.Exp(lanes - Vector128.Create(max));
        e /= Vector128.Create(Vector128.Sum(e));
        for (var i = 0; i < n; i++)
        {
            scores[i] = e[i];
        }
    }
}
