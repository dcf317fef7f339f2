using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Training;

/// <summary>Regression: SDCA, or FastTree.</summary>
internal static class RegressionTraining
{
    public static TaskOutcome Train(MLContext ml, ModelSpec spec, TaskData data)
    {
        RegressionRow Row(float[] x, string y) => new() { Features = x, Label = HoldoutEvaluation.Number(spec.Label, y) };
        var train = TrainingSchemas.Load(ml, data.TrainFeatures.Zip(data.TrainLabels, Row), data.Width);

        ITransformer model;
        string trainer;
        ScoringModel scoring;
        if (spec.Trainer == ModelSpec.Tree)
        {
            var fitted = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                NumberOfTrees = spec.Iterations ?? 100, NumberOfLeaves = spec.Leaves ?? 20, MinimumExampleCountPerLeaf = 5, NumberOfThreads = 1, Seed = data.Seed,
            }).Fit(train);
            (model, trainer) = (fitted, "FastTreeRegression");
            scoring = new ScoringModel { Link = ScoringModel.Identity, Trees = [BundleExport.Trees(fitted.Model.TrainedTreeEnsemble)] };
        }
        else
        {
            var fitted = ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                MaximumNumberOfIterations = spec.Iterations, NumberOfThreads = 1,
            }).Fit(train);
            (model, trainer) = (fitted, "SdcaRegression");
            scoring = new ScoringModel { Link = ScoringModel.Identity, Linear = [BundleExport.Linear(fitted.Model.Weights, fitted.Model.Bias)] };
        }
        return new TaskOutcome(model, train.Schema, trainer, scoring, null,
            HoldoutEvaluation.Evaluate(ml, ModelTask.Regression, model, data.TestFeatures, data.TestLabels, null, spec.Label));
    }
}
