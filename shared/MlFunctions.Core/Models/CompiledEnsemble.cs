using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models;

/// <summary>
/// A tree ensemble flattened into one set of arrays: every tree's nodes and leaves side by side, tree
/// weights folded into the leaf values, and each tree's start in <c>_roots</c>. Scoring a row is one
/// tight loop with no per-tree object, which is what makes trees fast to score one row at a time.
/// </summary>
internal sealed class CompiledEnsemble
{
    private readonly double _bias;
    private readonly int[] _roots;     // per tree: its first node, or ~leaf for a tree with no split
    private readonly int[] _features;
    private readonly float[] _thresholds;
    private readonly int[] _left;      // global node index, or ~global leaf index
    private readonly int[] _right;
    private readonly double[] _leaves; // weight * leaf value

    public CompiledEnsemble(TreeEnsembleOutput ensemble, int width)
    {
        _bias = ensemble.Bias;
        var trees = ensemble.Trees;
        var nodeCount = 0;
        var leafCount = 0;
        foreach (var tree in trees)
        {
            Check(tree, width);
            nodeCount += tree.SplitFeatures.Length;
            leafCount += tree.Leaves.Length;
        }
        (_roots, _features, _thresholds, _left, _right, _leaves) = (new int[trees.Length], new int[nodeCount], new float[nodeCount], new int[nodeCount], new int[nodeCount], new double[leafCount]);
        int nodes = 0, leaves = 0;
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = trees[t];
            _roots[t] = tree.SplitFeatures.Length == 0 ? ~leaves : nodes;
            for (var n = 0; n < tree.SplitFeatures.Length; n++)
            {
                _features[nodes + n] = tree.SplitFeatures[n];
                _thresholds[nodes + n] = tree.Thresholds[n];
                _left[nodes + n] = tree.Left[n] >= 0 ? nodes + tree.Left[n] : ~(leaves + ~tree.Left[n]);
                _right[nodes + n] = tree.Right[n] >= 0 ? nodes + tree.Right[n] : ~(leaves + ~tree.Right[n]);
            }
            for (var l = 0; l < tree.Leaves.Length; l++)
            {
                _leaves[leaves + l] = tree.Weight * tree.Leaves[l];
            }
            nodes += tree.SplitFeatures.Length;
            leaves += tree.Leaves.Length;
        }
    }

    /// <summary>bias + the sum over trees, in tree order, of weight * leaf.</summary>
    public double Evaluate(ReadOnlySpan<float> features)
    {
        var sum = _bias;
        var (split, thresholds, left, right) = (_features, _thresholds, _left, _right);
        foreach (var root in _roots)
        {
            var node = root;
            while (node >= 0)
            {
                node = features[split[node]] <= thresholds[node] ? left[node] : right[node];
            }
            sum += _leaves[~node];
        }
        return sum;
    }

    private static void Check(RegressionTreeData tree, int width)
    {
        var nodes = tree.SplitFeatures.Length;
        if (tree.Thresholds.Length != nodes || tree.Left.Length != nodes || tree.Right.Length != nodes || tree.Leaves.Length != nodes + 1)
        {
            throw new InvalidDataException($"A tree has {nodes} splits but {tree.Thresholds.Length} thresholds, {tree.Left.Length}/{tree.Right.Length} children and {tree.Leaves.Length} leaves.");
        }
        // Plain loops: this runs for every tree when a cold function loads its model.
        for (var node = 0; node < nodes; node++)
        {
            if ((uint)tree.SplitFeatures[node] >= (uint)width || !Child(node, tree.Left[node], nodes, tree.Leaves.Length) || !Child(node, tree.Right[node], nodes, tree.Leaves.Length))
            {
                throw new InvalidDataException($"Tree node {node} refers to a feature or node that does not exist.");
            }
        }
    }

    /// <summary>A child is a later node (as ML.NET numbers them), or a leaf ~c that exists: so a walk always ends, even on a corrupt bundle.</summary>
    private static bool Child(int node, int child, int nodes, int leaves) => child >= 0 ? child > node && child < nodes : ~child < leaves;
}
