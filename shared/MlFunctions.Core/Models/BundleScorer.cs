using MlFunctions.Core.Features;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Explanations;

namespace MlFunctions.Core.Models;

/// <summary>
/// Scores a model bundle with no ML.NET: the feature spec vectorises a record, linear weights or tree
/// ensembles give raw outputs, and the link turns them into probabilities or a value, as ML.NET's
/// PredictionEngine does (a parity test holds it to 1e-5). Safe for concurrent use.
/// </summary>
public sealed class BundleScorer : ServedModel
{
    private readonly ScoringEngine _engine;
    private ModelExplainer? _explainer; // built on the first explanation asked for: most calls never ask

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

    /// <summary>
    /// Explains the output that <see cref="Predict"/> gave as <paramref name="predicted"/> for
    /// <paramref name="features"/>: the predicted class for multiclass, the positive class for binary.
    /// </summary>
    public Explanation Explain(ReadOnlySpan<float> features, ReadOnlySpan<double> predicted)
    {
        var explainer = Explainer;
        var output = Bundle.Task == ModelTask.Multiclass ? predicted[..Outputs].IndexOf(MaxOf(predicted[..Outputs])) : 0;
        var perFeature = new double[Vectorizer.Width];
        var @base = explainer.Explain(features, output, perFeature);
        Span<double> raw = stackalloc double[Outputs];
        _engine.Raw(features, raw);
        var perColumn = new double[Vectorizer.Columns.Count];
        for (var f = 0; f < perFeature.Length; f++)
        {
            perColumn[Vectorizer.FeatureColumns[f]] += perFeature[f];
        }
        var contributions = new Dictionary<string, double>(perColumn.Length, StringComparer.Ordinal);
        for (var c = 0; c < perColumn.Length; c++)
        {
            contributions[Vectorizer.Columns[c]] = perColumn[c];
        }
        var label = Bundle.Task switch { ModelTask.Multiclass => Bundle.Labels![output], ModelTask.Binary => Bundle.Labels![1], _ => null };
        return new Explanation(label, explainer.Method, @base, raw[output], contributions);
    }

    /// <summary>The model's explainer, built on first use.</summary>
    public ModelExplainer Explainer => _explainer ??= new ModelExplainer(Bundle.Model);

    private static double MaxOf(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }
        return max;
    }

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
