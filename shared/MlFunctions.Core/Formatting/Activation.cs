namespace MlFunctions.Core.Formatting;

/// <summary>How raw scores become probabilities.</summary>
public enum Activation
{
    /// <summary>The scores are probabilities already.</summary>
    None,

    /// <summary>Each score independently: binary, or multi-label.</summary>
    Sigmoid,

    /// <summary>Across a row: exactly one label per row.</summary>
    Softmax,
}

/// <summary>Numerically stable activations: no overflow for any finite input.</summary>
public static class Activations
{
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>Softmax by log-sum-exp: the largest score is subtracted first, so exp never overflows.</summary>
    public static void Softmax(ReadOnlySpan<double> scores, Span<double> probabilities)
    {
        var max = double.NegativeInfinity;
        foreach (var score in scores)
        {
            max = Math.Max(max, score);
        }
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            probabilities[i] = Math.Exp(scores[i] - max);
            sum += probabilities[i];
        }
        for (var i = 0; i < scores.Length; i++)
        {
            probabilities[i] /= sum;
        }
    }
}
