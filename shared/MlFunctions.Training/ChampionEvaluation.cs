using Microsoft.ML;
using MlFunctions.Core.Features;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Training;

/// <summary>Scores an existing model (its ML.NET model.zip, with its own feature spec from the bundle) on a challenger's holdout rows.</summary>
public static class ChampionEvaluation
{
    /// <exception cref="Core.Contract.ProblemException">The rows do not fit the model's feature spec.</exception>
    public static Dictionary<string, double> Evaluate(ModelBundle bundle, byte[] modelZip, HoldoutSet holdout)
    {
        var ml = new MLContext(seed: bundle.Training?.Seed ?? 42);
        using var stream = new MemoryStream(modelZip);
        var model = ml.Model.Load(stream, out _);
        var vectorizer = new FeatureVectorizer(bundle.Features);
        var features = holdout.Rows(vectorizer.Columns).Select((row, i) => vectorizer.Transform(row, i + 1)).ToArray();
        return HoldoutEvaluation.Evaluate(ml, bundle.Task, model, features, holdout.Labels, bundle.Labels, bundle.LabelColumn);
    }
}
