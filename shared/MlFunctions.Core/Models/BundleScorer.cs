using MlFunctions.Core.Features;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models;

/// <summary>
/// Scores a model bundle with no ML.NET: the feature spec vectorises a record, linear weights or tree
/// ensembles give raw outputs, and the link turns them into probabilities or a value, as ML.NET's
/// PredictionEngine does (a parity test holds it to 1e-5). Safe for concurrent use.
/// </summary>
public sealed class BundleScorer
{
    private readonly LinearOutput[]? _linear;
    private readonly (double Bias, CompiledTree[] Trees)[]? _trees;
    private readonly PlattCalibration[]? _calibrators;
    private readonly string _link;

    public BundleScorer(ModelBundle bundle)
    {
        Bundle = bundle;
        Vectorizer = new FeatureVectorizer(bundle.Features);
        var model = bundle.Model;
        _link = model.Link;
        _linear = model.Linear;
        _trees = model.Trees?.Select(e => (e.Bias, e.Trees.Select(t => new CompiledTree(t, Vectorizer.Width)).ToArray())).ToArray();
        _calibrators = model.Calibrators;
        Outputs = _linear?.Length ?? _trees?.Length ?? throw new InvalidDataException("The bundle has neither linear weights nor trees.");
        Check(bundle);
    }

    public ModelBundle Bundle { get; }

    public FeatureVectorizer Vectorizer { get; }

    /// <summary>Raw outputs: 1 for binary and regression, one per class for multiclass.</summary>
    public int Outputs { get; }

    /// <summary>Raw model outputs (ML.NET's Score column for binary and regression).</summary>
    public void Raw(ReadOnlySpan<float> features, Span<double> raw)
    {
        for (var o = 0; o < Outputs; o++)
        {
            if (_linear is not null)
            {
                var weights = _linear[o].Weights;
                var sum = 0.0;
                for (var i = 0; i < weights.Length; i++)
                {
                    sum += weights[i] * (double)features[i];
                }
                raw[o] = (float)(_linear[o].Bias + sum);
            }
            else
            {
                var (bias, trees) = _trees![o];
                var sum = bias;
                foreach (var tree in trees)
                {
                    sum += tree.Evaluate(features);
                }
                raw[o] = (float)sum;
            }
        }
    }

    /// <summary>Binary: [probability of the positive class]; multiclass: one probability per class; regression: [value].</summary>
    public void Predict(ReadOnlySpan<float> features, Span<double> output)
    {
        Raw(features, output[..Outputs]);
        switch (_link)
        {
            case ScoringModel.Platt:
                output[0] = Calibrate(_calibrators![0], output[0]);
                break;
            case ScoringModel.Softmax:
                Activations.Softmax(output[..Outputs], output[..Outputs]);
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

    private void Check(ModelBundle bundle)
    {
        var width = Vectorizer.Width;
        if (_linear?.Any(l => l.Weights.Length != width) == true)
        {
            throw new InvalidDataException($"The linear weights do not match the {width} features.");
        }
        var (expectedOutputs, links) = bundle.Task switch
        {
            ModelTask.Binary => (1, new[] { ScoringModel.Platt }),
            ModelTask.Multiclass => (bundle.Labels?.Length ?? -1, new[] { ScoringModel.Softmax, ScoringModel.Normalize }),
            ModelTask.Regression => (1, new[] { ScoringModel.Identity }),
            _ => throw new InvalidDataException($"Unknown task '{bundle.Task}'."),
        };
        if (Outputs != expectedOutputs || !links.Contains(_link) || (bundle.Task == ModelTask.Binary && bundle.Labels?.Length != 2))
        {
            throw new InvalidDataException($"A {bundle.Task} bundle with {Outputs} outputs, link '{_link}' and {bundle.Labels?.Length ?? 0} labels does not fit together.");
        }
        if (_link is ScoringModel.Platt or ScoringModel.Normalize && _calibrators?.Length != Outputs)
        {
            throw new InvalidDataException($"The '{_link}' link needs one calibrator per output.");
        }
    }
}
