using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Training;

/// <summary>Binary classification: SDCA logistic regression, or FastTree; both Platt-calibrated.</summary>
internal static class BinaryTraining
{
    public static TaskOutcome Train(MLContext ml, ModelSpec spec, TaskData data)
    {
        var labels = Labels(spec, data.TrainLabels);
        BinaryRow Row(float[] x, string y) => new() { Features = x, Label = y == labels[1] };
        var train = TrainingSchemas.Load(ml, data.TrainFeatures.Zip(data.TrainLabels, Row), data.Width);

        ITransformer model;
        string trainer;
        ScoringModel scoring;
        if (spec.Trainer == ModelSpec.Tree)
        {
            var fitted = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = spec.Iterations ?? 100, NumberOfLeaves = spec.Leaves ?? 20, MinimumExampleCountPerLeaf = 5, NumberOfThreads = 1, Seed = data.Seed,
            }).Fit(train);
            (model, trainer) = (fitted, "FastTreeBinary");
            scoring = new ScoringModel
            {
                Link = ScoringModel.Platt,
                Trees = [BundleExport.Trees(fitted.Model.SubModel.TrainedTreeEnsemble)],
                Calibrators = [BundleExport.Platt(fitted.Model.Calibrator)],
            };
        }
        else
        {
            var fitted = ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                MaximumNumberOfIterations = spec.Iterations, NumberOfThreads = 1,
            }).Fit(train);
            (model, trainer) = (fitted, "SdcaLogisticRegression");
            scoring = new ScoringModel
            {
                Link = ScoringModel.Platt,
                Linear = [BundleExport.Linear(fitted.Model.SubModel.Weights, fitted.Model.SubModel.Bias)],
                Calibrators = [BundleExport.Platt(fitted.Model.Calibrator)],
            };
        }
        return new TaskOutcome(model, train.Schema, trainer, scoring, labels,
            HoldoutEvaluation.Evaluate(ml, ModelTask.Binary, model, data.TestFeatures, data.TestLabels, labels, spec.Label));
    }

    /// <summary>[negative, positive]: the spec's positive label, else a true-like value, else the second in sorted order.</summary>
    private static string[] Labels(ModelSpec spec, IEnumerable<string> values)
    {
        var distinct = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length != 2)
        {
            throw ProblemType.InvalidRecord.With(
                $"A binary model needs exactly 2 values in '{spec.Label}'; the training rows have {distinct.Length}: {string.Join(", ", distinct.Take(10))}.", spec.Label);
        }
        var positive = spec.PositiveLabel
            ?? distinct.FirstOrDefault(v => v.ToLowerInvariant() is "true" or "yes" or "1" or "y" or "t")
            ?? distinct[1];
        if (!distinct.Contains(positive))
        {
            throw ProblemType.InvalidSpec.With($"positiveLabel '{positive}' is not one of the label values: {string.Join(", ", distinct)}.", "positiveLabel");
        }
        return [distinct.Single(v => v != positive), positive];
    }
}
