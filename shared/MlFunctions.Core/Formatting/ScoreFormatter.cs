using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Formatting;

/// <summary>Scores or logits to labelled predictions: the format function, and predict's last step.</summary>
public static class ScoreFormatter
{
    public const double DefaultThreshold = 0.5;

    /// <summary>Formats one row; <paramref name="row"/> is its index, for error messages.</summary>
    public static Prediction Format(ReadOnlySpan<double> scores, FormatOptions options, long row)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw ProblemType.InvalidScores.With($"scores[{row}][{i}] is {scores[i]}; every score must be a finite number.", "scores", row);
            }
        }
        return scores.Length == 1 ? Binary(scores[0], options, row) : Multiple(scores, options, row);
    }

    private static Prediction Binary(double score, FormatOptions options, long row)
    {
        var positive = options.Activation == Activation.None ? Probability(score, row, 0) : Activations.Sigmoid(score);
        var threshold = options.Threshold ?? DefaultThreshold;
        var (negativeLabel, positiveLabel) = (options.Labels[0], options.Labels[1]);
        var chosen = positive >= threshold ? new LabelProbability(positiveLabel, positive) : new LabelProbability(negativeLabel, 1 - positive);
        var other = positive >= threshold ? new LabelProbability(negativeLabel, 1 - positive) : new LabelProbability(positiveLabel, positive);
        return new Prediction(chosen.Label, chosen.Probability, new[] { chosen, other }[..Math.Min(options.TopK, 2)]);
    }

    private static Prediction Multiple(ReadOnlySpan<double> scores, FormatOptions options, long row)
    {
        var probabilities = new double[scores.Length];
        switch (options.Activation)
        {
            case Activation.Softmax:
                Activations.Softmax(scores, probabilities);
                break;
            case Activation.Sigmoid:
                for (var i = 0; i < scores.Length; i++)
                {
                    probabilities[i] = Activations.Sigmoid(scores[i]);
                }
                break;
            default:
                for (var i = 0; i < scores.Length; i++)
                {
                    probabilities[i] = Probability(scores[i], row, i);
                }
                break;
        }
        // Stable on ties: equal probabilities keep the order of their columns.
        var order = Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).ToArray();
        var top = order.Take(options.TopK).Select(i => new LabelProbability(options.Labels[i], probabilities[i])).ToArray();
        var best = order[0];
        var cut = options.Threshold ?? (options.Activation == Activation.Sigmoid ? DefaultThreshold : 0);
        var label = probabilities[best] >= cut ? options.Labels[best] : null;
        var labels = options.Activation == Activation.Sigmoid
            ? order.Where(i => probabilities[i] >= cut).Select(i => options.Labels[i]).ToArray()
            : null;
        return new Prediction(label, probabilities[best], top, labels);
    }

    private static double Probability(double score, long row, int column) => score is >= 0 and <= 1
        ? score
        : throw ProblemType.InvalidScores.With(
            $"scores[{row}][{column}] is {score}, not a probability from 0 to 1; send logits, or set activation to sigmoid or softmax.", "scores", row);
}
