using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models.Explanations;

/// <summary>
/// Splits one raw output of a model (a margin: the score before its link) into a base value and one
/// contribution per feature, summing to the output. Linear models exactly: the bias, and weight x
/// prepared value. Tree ensembles by their decision paths (Saabas): the base is the ensemble's expected
/// output over the training rows, and each split on a row's path adds the change in expected output
/// it makes to the feature it splits on, weighted by how many training rows took each branch (the
/// bundle's leaf counts; every leaf weighs the same in a bundle written before they were kept).
/// Safe for concurrent use.
/// </summary>
public sealed class ModelExplainer
{
    public const string LinearMethod = "linear";
    public const string PathMethod = "path";

    private readonly LinearOutput[]? _linear;
    private readonly PathEnsemble[]? _trees;

    public ModelExplainer(ScoringModel model)
    {
        _linear = model.Linear;
        _trees = model.Trees?.Select(e => new PathEnsemble(e)).ToArray();
        Method = _linear is null ? PathMethod : LinearMethod;
    }

    public string Method { get; }

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

    /// <summary>One ensemble with the expected output of every node, from its leaves and their counts.</summary>
    private sealed class PathEnsemble
    {
        private readonly TreeEnsembleOutput _ensemble;
        private readonly double[][] _expected; // per tree, per node
        private readonly double _base;

        public PathEnsemble(TreeEnsembleOutput ensemble)
        {
            _ensemble = ensemble;
            _expected = new double[ensemble.Trees.Length][];
            _base = ensemble.Bias;
            var leafStart = 0;
            for (var t = 0; t < ensemble.Trees.Length; t++)
            {
                var tree = ensemble.Trees[t];
                var counts = ensemble.LeafCounts is { } all && all.Length >= leafStart + tree.Leaves.Length
                    && all.AsSpan(leafStart, tree.Leaves.Length).IndexOfAnyExcept(0) >= 0 ? all.AsSpan(leafStart, tree.Leaves.Length).ToArray() : null;
                leafStart += tree.Leaves.Length;
                _expected[t] = Expected(tree, counts, out var root);
                _base += tree.Weight * root;
            }
        }

        public double Explain(ReadOnlySpan<float> features, Span<double> contributions)
        {
            for (var t = 0; t < _ensemble.Trees.Length; t++)
            {
                var tree = _ensemble.Trees[t];
                var expected = _expected[t];
                var node = tree.SplitFeatures.Length == 0 ? ~0 : 0;
                while (node >= 0)
                {
                    var next = features[tree.SplitFeatures[node]] <= tree.Thresholds[node] ? tree.Left[node] : tree.Right[node];
                    var after = next >= 0 ? expected[next] : tree.Leaves[~next];
                    contributions[tree.SplitFeatures[node]] += tree.Weight * (after - expected[node]);
                    node = next;
                }
            }
            return _base;
        }

        /// <summary>Each node's expected output, children before parents (a child is always a later node); <paramref name="root"/> the tree's.</summary>
        private static double[] Expected(RegressionTreeData tree, int[]? counts, out double root)
        {
            var nodes = tree.SplitFeatures.Length;
            var expected = new double[nodes];
            var weight = new double[nodes];
            (double Value, double Weight) Child(int child) => child >= 0 ? (expected[child], weight[child]) : (tree.Leaves[~child], counts?[~child] ?? 1);
            for (var n = nodes - 1; n >= 0; n--)
            {
                var (left, leftWeight) = Child(tree.Left[n]);
                var (right, rightWeight) = Child(tree.Right[n]);
                weight[n] = leftWeight + rightWeight;
                expected[n] = weight[n] > 0 ? ((left * leftWeight) + (right * rightWeight)) / weight[n] : (left + right) / 2;
            }
            root = nodes == 0 ? tree.Leaves[0] : expected[0];
            return expected;
        }
    }
}
