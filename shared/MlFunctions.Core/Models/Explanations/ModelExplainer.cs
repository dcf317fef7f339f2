using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models.Explanations;

/// <summary>
/// Splits one raw output of a model (a margin: the score before its link) into a base value and one
/// contribution per feature, summing to the output. Linear models exactly: the bias, and weight x
/// prepared value. Tree ensembles by TreeSHAP (<see cref="TreeShap"/>): the base is the ensemble's
/// expected output over the training rows, and each feature gets its exact Shapley value, a feature left
/// out following both branches as the training rows did (the bundle's leaf counts; every leaf weighs the
/// same in a bundle written before they were kept).
/// Safe for concurrent use.
/// </summary>
public sealed class ModelExplainer
{
    public const string LinearMethod = "linear";
    public const string TreeShapMethod = "treeshap";

    private readonly LinearOutput[]? _linear;
    private readonly ShapEnsemble[]? _trees;

    public ModelExplainer(ScoringModel model)
    {
        _linear = model.Linear;
        _trees = model.Trees?.Select(e => new ShapEnsemble(e)).ToArray();
        Method = _linear is null ? TreeShapMethod : LinearMethod;
    }

    public string Method { get; }

    /// <summary>About how many steps explaining one row takes (the most of any output), for budgeting a request.</summary>
    public long Cost => _linear is not null ? _linear[0].Weights.Length : _trees!.Max(t => t.Cost);

    /// <summary>Adds each feature's contribution to output <paramref name="output"/> into <paramref name="contributions"/>; returns the base value.</summary>
    public double Explain(ReadOnlySpan<float> features, int output, Span<double> contributions)
    {
        if (_linear is not null)
        {
            var weights = _linear[output].Weights;
            for (var f = 0; f < weights.Length; f++)
            {
                contributions[f] += (double)weights[f] * features[f];
            }
            return _linear[output].Bias;
        }
        return _trees![output].Explain(features, contributions);
    }

    /// <summary>One ensemble: each tree's TreeSHAP, and the ensemble's expected output (its base).</summary>
    private sealed class ShapEnsemble
    {
        private readonly TreeShap[] _trees;
        private readonly double[] _weights;
        private readonly double _base;

        public ShapEnsemble(TreeEnsembleOutput ensemble)
        {
            _trees = new TreeShap[ensemble.Trees.Length];
            _weights = [.. ensemble.Trees.Select(t => t.Weight)];
            _base = ensemble.Bias;
            var leafStart = 0;
            for (var t = 0; t < ensemble.Trees.Length; t++)
            {
                var tree = ensemble.Trees[t];
                var counts = ensemble.LeafCounts is { } all && all.Length >= leafStart + tree.Leaves.Length
                    && all.AsSpan(leafStart, tree.Leaves.Length).IndexOfAnyExcept(0) >= 0 ? all.AsSpan(leafStart, tree.Leaves.Length).ToArray() : null;
                leafStart += tree.Leaves.Length;
                _trees[t] = new TreeShap(tree, counts);
                _base += tree.Weight * _trees[t].Expected(out _);
            }
        }

        public long Cost => _trees.Sum(t => t.Cost);

        public double Explain(ReadOnlySpan<float> features, Span<double> contributions)
        {
            for (var t = 0; t < _trees.Length; t++)
            {
                _trees[t].Explain(features, _weights[t], contributions);
            }
            return _base;
        }
    }
}
