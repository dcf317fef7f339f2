using MlFunctions.Core.Features;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models;

/// <summary>
/// Scores a model bundle with no ML.NET: the feature spec vectorises a record, linear weights or tree
/// ensembles give raw outputs, and the link turns them into probabilities or a value, as ML.NET's
/// PredictionEngine does (a parity test holds it to 1e-5). Safe for concurrent use.
/// </summary>
public sealed class BundleScorer : ServedModel
{
    private readonly CompiledLinear? _linear;
    private readonly CompiledEnsemble[]? _trees;
    private readonly PlattCalibration[]? _calibrators;
    private readonly Link _link;

    public BundleScorer(ModelBundle bundle)
    {
        Bundle = bundle;
        Vectorizer = new FeatureVectorizer(bundle.Features);
        var model = bundle.Model;
        _link = model.Link switch
        {
            ScoringModel.Identity => Link.Identity,
            ScoringModel.Platt => Link.Platt,
            ScoringModel.Softmax => Link.Softmax,
            ScoringModel.Normalize => Link.Normalize,
            _ => throw new InvalidDataException($"Unknown link '{model.Link}'."),
        };
        _linear = model.Linear is null ? null : new CompiledLinear(model.Linear, Vectorizer.Width);
        _trees = model.Trees?.Select(e => new CompiledEnsemble(e, Vectorizer.Width)).ToArray();
        _calibrators = model.Calibrators;
        Outputs = _linear?.Outputs ?? _trees?.Length ?? throw new InvalidDataException("The bundle has neither linear weights nor trees.");
        Check(bundle);
    }

    public ModelBundle Bundle { get; }

    public override string Name => Bundle.Name;

    public override string Version => Bundle.Version;

    public override string Task => Bundle.Task;

    public FeatureVectorizer Vectorizer { get; }

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
        if (_link == Link.Softmax && _linear is { InLanes: true })
        {
            // The small linear multiclass model: outputs and softmax stay in one vector throughout.
            FloatSoftmax.Apply(_linear.EvaluateLanes(features), output[..Outputs]);
            return;
        }
        Raw(features, output[..Outputs]);
        switch (_link)
        {
            case Link.Platt:
                output[0] = Calibrate(_calibrators![0], output[0]);
                break;
            case Link.Softmax:
                FloatSoftmax.Apply(output[..Outputs]);
                break;
            case Link.Normalize:
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

    private enum Link
    {
        Identity,
        Platt,
        Softmax,
        Normalize,
    }

    private static double Calibrate(PlattCalibration calibrator, double raw) =>
        (float)(1 / (1 + Math.Exp((calibrator.Slope * (float)raw) + calibrator.Offset)));

    private void Check(ModelBundle bundle)
    {
        var (expectedOutputs, links) = bundle.Task switch
        {
            ModelTask.Binary => (1, new[] { ScoringModel.Platt }),
            ModelTask.Multiclass => (bundle.Labels?.Length ?? -1, new[] { ScoringModel.Softmax, ScoringModel.Normalize }),
            ModelTask.Regression => (1, new[] { ScoringModel.Identity }),
            _ => throw new InvalidDataException($"Unknown task '{bundle.Task}'."),
        };
        if (Outputs != expectedOutputs || !links.Contains(bundle.Model.Link) || (bundle.Task == ModelTask.Binary && bundle.Labels?.Length != 2))
        {
            throw new InvalidDataException($"A {bundle.Task} bundle with {Outputs} outputs, link '{_link}' and {bundle.Labels?.Length ?? 0} labels does not fit together.");
        }
        if (_link is Link.Platt or Link.Normalize && _calibrators?.Length != Outputs)
        {
            throw new InvalidDataException($"The '{_link}' link needs one calibrator per output.");
        }
    }
}
