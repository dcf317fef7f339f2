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
    private readonly ScoringEngine _engine;

    public BundleScorer(ModelBundle bundle)
    {
        Bundle = bundle;
        Vectorizer = new FeatureVectorizer(bundle.Features);
        _engine = new ScoringEngine(bundle.Model, Vectorizer.Width);
        Check(bundle);
    }

    public ModelBundle Bundle { get; }

    public override string Name => Bundle.Name;

    public override string Version => Bundle.Version;

    public override string Task => Bundle.Task;

    public FeatureVectorizer Vectorizer { get; }

    /// <summary>Raw outputs: 1 for binary and regression, one per class for multiclass.</summary>
    public int Outputs => _engine.Outputs;

    /// <summary>Raw model outputs (ML.NET's Score column for binary and regression).</summary>
    public void Raw(ReadOnlySpan<float> features, Span<double> raw) => _engine.Raw(features, raw);

    /// <summary>Binary: [probability of the positive class]; multiclass: one probability per class; regression: [value].</summary>
    public void Predict(ReadOnlySpan<float> features, Span<double> output) => _engine.Predict(features, output);

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
            throw new InvalidDataException($"A {bundle.Task} bundle with {Outputs} outputs, link '{_engine.Link}' and {bundle.Labels?.Length ?? 0} labels does not fit together.");
        }
    }
}
