using Microsoft.ML;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Monitoring;

namespace MlFunctions.Training;

/// <summary>A trained model: its bundle, ML.NET's model, and the holdout rows it was evaluated on.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(ModelBundle bundle, MLContext context, ITransformer model, DataViewSchema schema, float[][] holdoutFeatures, HoldoutSet holdout, TrainingProfile profile)
    {
        Profile = profile;
        Bundle = bundle;
        Context = context;
        Model = model;
        Schema = schema;
        HoldoutFeatures = holdoutFeatures;
        Holdout = holdout;
    }

    public ModelBundle Bundle { get; }

    /// <summary>The training rows' distribution, per column and per feature: what drift is measured against.</summary>
    public TrainingProfile Profile { get; }

    public MLContext Context { get; }

    public ITransformer Model { get; }

    public DataViewSchema Schema { get; }

    public float[][] HoldoutFeatures { get; }

    public string[] HoldoutLabels => Holdout.Labels;

    /// <summary>The held-out rows themselves, to score another model (the champion) on the same rows.</summary>
    public HoldoutSet Holdout { get; }

    /// <summary>ML.NET's own model file, model.zip.</summary>
    public byte[] ModelZip()
    {
        using var stream = new MemoryStream();
        Context.Model.Save(Model, Schema, stream);
        return stream.ToArray();
    }
}
