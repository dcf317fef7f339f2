using System.Runtime.Intrinsics;

namespace MlFunctions.Core.Models;

/// <summary>
/// Softmax in float, four classes at a time with Vector128.Exp: ML.NET computes these probabilities in
/// float too, and scalar exp was most of the time it took to score a small linear model. Vector128.Exp
/// is a software routine, so it gives the same bits under the JIT and Native AOT.
/// </summary>
internal static class FloatSoftmax
{
    // Unused lanes hold -30 (after the largest score is subtracted): exp gives 9e-14, below float's
    // resolution beside the largest lane's exp(0) = 1. Not -infinity, nor values near float's smallest
    // normal (-87), which send Vector128.Exp down paths several times slower.
    private const float Padding = -30f;

    public static void Apply(Span<double> scores)
    {
        if (scores.Length <= Vector128<float>.Count)
        {
            Span<float> lanes = stackalloc float[Vector128<float>.Count];
            for (var i = 0; i < scores.Length; i++)
            {
                lanes[i] = (float)scores[i];
            }
            Apply(Vector128.Create<float>(lanes), scores);
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
            var e = Exp(scores, i, max);
            e.CopyTo(exps[i..]);
            sum += Vector128.Sum(e);
        }
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = exps[i] / sum;
        }
    }

    /// <summary>Softmax of lanes 0 .. output.Length - 1 of <paramref name="raw"/> (at most four) into <paramref name="output"/>; other lanes are ignored.</summary>
    public static void Apply(Vector128<float> raw, Span<double> output)
    {
        var used = Vector128.LessThan(Vector128.Create(0, 1, 2, 3), Vector128.Create(output.Length)).AsSingle();
        var max = Vector128.ConditionalSelect(used, raw, Vector128.Create(float.NegativeInfinity));
        max = Vector128.Max(max, Vector128.Shuffle(max, Vector128.Create(1, 0, 3, 2)));
        max = Vector128.Max(max, Vector128.Shuffle(max, Vector128.Create(2, 3, 0, 1)));
        var e = Vector128.Exp(Vector128.ConditionalSelect(used, raw - max, Vector128.Create(Padding)));
        var probabilities = e * (1f / Vector128.Sum(e));
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = probabilities.GetElement(i);
        }
    }

    /// <summary>exp(score - max) for scores[start..start+4], shifted by the largest score (log-sum-exp) so exp never overflows.</summary>
    private static Vector128<float> Exp(Span<double> scores, int start, double max) => Vector128.Exp(Vector128.Create(
        (float)(scores[start] - max),
        start + 1 < scores.Length ? (float)(scores[start + 1] - max) : Padding,
        start + 2 < scores.Length ? (float)(scores[start + 2] - max) : Padding,
        start + 3 < scores.Length ? (float)(scores[start + 3] - max) : Padding));
}
