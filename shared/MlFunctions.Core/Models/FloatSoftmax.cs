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
}
