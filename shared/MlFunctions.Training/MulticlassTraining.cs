using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Training;

/// <summary>Multiclass: SDCA maximum entropy, or LightGBM (multiclass trees with a softmax).</summary>
internal static class MulticlassTraining
{
    public static TaskOutcome Train(MLContext ml, ModelSpec spec, TaskData data)
    {
        var labels = data.TrainLabels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2)
        {
            throw ProblemType.InvalidRecord.With($"A multiclass model needs at least 2 values in '{spec.Label}'.", spec.Label);
        }
        var keys = labels.Select((label, i) => (label, key: (uint)i)).ToDictionary(p => p.label, p => p.key, StringComparer.Ordinal);
        var train = TrainingSchemas.Load(ml, data.TrainFeatures.Zip(data.TrainLabels, (x, y) => new MulticlassRow { Features = x, Label = keys[y] }), data.Width, labels.Length);

        ITransformer model;
        string trainer;
        ScoringModel scoring;
        if (spec.Trainer == ModelSpec.Tree)
        {
            var fitted = ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                NumberOfIterations = spec.Iterations ?? 100, NumberOfLeaves = spec.Leaves ?? 20, MinimumExampleCountPerLeaf = 5,
                NumberOfThreads = 1, Seed = data.Seed, UseSoftmax = true, Silent = true,
            }).Fit(train);
            (model, trainer) = (fitted, "LightGbmMulticlass");
            var (subModels, link) = BundleExport.OneVersusAll(fitted.Model);
            var classes = subModels.Select(BundleExport.ClassTrees).ToArray();
            scoring = new ScoringModel
            {
                Link = link,
                Trees = classes.Select(c => c.Trees).ToArray(),
                Calibrators = link == ScoringModel.Normalize ? classes.Select(c => c.Calibrator ?? throw new NotSupportedException("Normalizing needs calibrated class models.")).ToArray() : null,
            };
        }
        else
        {
            var fitted = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                MaximumNumberOfIterations = spec.Iterations, NumberOfThreads = 1,
            }).Fit(train);
            (model, trainer) = (fitted, "SdcaMaximumEntropy");
            scoring = new ScoringModel { Link = ScoringModel.Softmax, Linear = BundleExport.Linear(fitted.Model) };
        }
        return new TaskOutcome(model, train.Schema, trainer, scoring, labels,
            HoldoutEvaluation.Evaluate(ml, ModelTask.Multiclass, model, data.TestFeatures, data.TestLabels, labels, spec.Label));
    }
}
