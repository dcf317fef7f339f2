using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models;

/// <summary>
/// A <see cref="ScoringModel"/> compiled for feature vectors of one width: linear weights or tree
/// ensembles give raw outputs, and the link turns them into probabilities or a value, as ML.NET's
/// PredictionEngine does. Bundles score through it after their feature spec; an image classifier's
/// head scores through it after its backbone. Safe for concurrent use.
/// </summary>
public sealed class ScoringEngine
{
    private readonly CompiledLinear? _linear;
    private readonly CompiledEnsemble[]? _trees;
    private readonly PlattCalibration[]? _calibrators;

    public ScoringEngine(ScoringModel model, int width)
    {
        Link = model.Link;
        if (Link is not (ScoringModel.Identity or ScoringModel.Platt or ScoringModel.Softmax or ScoringModel.Normalize))
        {
            throw new InvalidDataException($"Unknown link '{model.Link}'.");
        }
        _linear = model.Linear is null ? null : new CompiledLinear(model.Linear, width);
        _trees = model.Trees?.Select(e => new CompiledEnsemble(e, width)).ToArray();
        _calibrators = model.Calibrators;
        Outputs = _linear?.Outputs ?? _trees?.Length ?? throw new InvalidDataException("The model has neither linear weights nor trees.");
        if (Link is ScoringModel.Platt or ScoringModel.Normalize && _calibrators?.Length != Outputs)
        {
            throw new InvalidDataException($"The '{Link}' link needs one calibrator per output.");
        }
    }

    /// <summary>The link, one of <see cref="ScoringModel"/>'s.</summary>
    public string Link { get; }

    /// <summary>Raw outputs: 1 for binary and regression, one per class for multiclass.</summary>
    public int Outputs { get; }

    /// <summary>Raw model outputs (ML.NET's Score column for binary and regression).</summary>
    public void Raw(ReadOnlySpan<float> features, Span<double> raw)
    {
        if (_linear is not null)
        {
            _linear.Evaluate(features, raw);
            return;
        }
        for (var o = 0; o < Outputs; o++)
        {
            raw[o] = (float)_trees![o].Evaluate(features);
        }
    }

    /// <summary>Binary: [probability of the positive class]; multiclass: one probability per class; regression: [value].</summary>
    public void Predict(ReadOnlySpan<float> features, Span<double> output)
    {
        if (Link == ScoringModel.Softmax && _linear is { InLanes: true })
        {
            // The small linear multiclass model: outputs and softmax stay in one vector throughout.
            FloatSoftmax.Apply(_linear.EvaluateLanes(features), output[..Outputs]);
            return;
        }
        Raw(features, output[..Outputs]);
        switch (Link)
        {
            case ScoringModel.Platt:
                output[0] = Calibrate(_calibrators![0], output[0]);
                break;
            case ScoringModel.Softmax:
                FloatSoftmax.Apply(output[..Outputs]);
                break;
            case ScoringModel.Normalize:
                var sum = 0.0;
                for (var o = 0; o < Outputs; o++)
                {
                    output[o] = Math.Max(0, Calibrate(_calibrators![o], output[o]));
                    sum += output[o];
                }
                for (var o = 0; o < Outputs && sum > 0; o++)
                {
                    output[o] /= sum;
                }
                break;
        }
    }

    private static double Calibrate(PlattCalibration calibrator, double raw) =>
        (float)(1 / (1 + Math.Exp((calibrator.Slope * (float)raw) + calibrator.Offset)));
}
