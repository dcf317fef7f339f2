using System.Collections.Immutable;
using System.Reflection;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Training;

/// <summary>Reads the parameters out of trained ML.NET models into bundle data.</summary>
internal static class BundleExport
{
    public static LinearOutput Linear(IReadOnlyList<float> weights, float bias) => new([.. weights], bias);

    public static PlattCalibration Platt(PlattCalibrator calibrator) => new(calibrator.Slope, calibrator.Offset);

    public static TreeEnsembleOutput Trees(RegressionTreeEnsemble ensemble) => new(ensemble.Bias,
        ensemble.Trees.Select((tree, t) =>
        {
            if (tree.CategoricalSplitFlags.Any(flag => flag))
            {
                throw new NotSupportedException("A tree uses a categorical split; our features are one-hot already, so training must not enable them.");
            }
            return new RegressionTreeData(ensemble.TreeWeights[t], [.. tree.NumericalSplitFeatureIndexes], [.. tree.NumericalSplitThresholds],
                [.. tree.LeftChild], [.. tree.RightChild], [.. tree.LeafValues]);
        }).ToArray());

    /// <summary>Multiclass linear: one weight row and bias per class.</summary>
    public static LinearOutput[] Linear(MaximumEntropyModelParameters model)
    {
        VBuffer<float>[] weights = [];
        model.GetWeights(ref weights, out var classes);
        var biases = model.GetBiases().ToArray();
        return Enumerable.Range(0, classes).Select(c => new LinearOutput(weights[c].DenseValues().ToArray(), biases[c])).ToArray();
    }

    /// <summary>
    /// A one-versus-all class model's trees and calibrator: LightGBM wraps each class's trees in a
    /// calibrated model, whose raw output is the trees' (the softmax link uses that raw output).
    /// </summary>
    public static (TreeEnsembleOutput Trees, PlattCalibration? Calibrator) ClassTrees(object subModel) => subModel switch
    {
        CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> calibrated => (Trees(calibrated.SubModel.TrainedTreeEnsemble), Platt(calibrated.Calibrator)),
        CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> calibrated => (Trees(calibrated.SubModel.TrainedTreeEnsemble), Platt(calibrated.Calibrator)),
        TreeEnsembleModelParametersBasedOnRegressionTree trees => (Trees(trees.TrainedTreeEnsemble), null),
        _ => throw new NotSupportedException($"A one-versus-all class model of type {subModel.GetType().Name} cannot be exported."),
    };

    /// <summary>
    /// The per-class models inside a one-versus-all model, and how ML.NET combines them. ML.NET keeps
    /// both private (SubModelParameters and the Impl class), so reflection is the only way in; the
    /// parity tests fail loudly if a new ML.NET version moves them.
    /// </summary>
    public static (object[] SubModels, string Link) OneVersusAll(OneVersusAllModelParameters model)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var subModels = typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", Private)?.GetValue(model) as ImmutableArray<object>?
            ?? throw new NotSupportedException("This ML.NET version no longer has OneVersusAllModelParameters.SubModelParameters.");
        var impl = typeof(OneVersusAllModelParameters).GetField("_impl", Private)?.GetValue(model)
            ?? throw new NotSupportedException("This ML.NET version no longer has OneVersusAllModelParameters._impl.");
        var link = impl.GetType().Name switch
        {
            "ImplSoftmax" => ScoringModel.Softmax,
            "ImplDist" => ScoringModel.Normalize,
            var other => throw new NotSupportedException($"One-versus-all output '{other}' cannot be exported."),
        };
        return ([.. subModels], link);
    }
}
