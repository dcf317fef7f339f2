using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models;

/// <summary>A regression tree in flat arrays, walked from the root with no allocation.</summary>
internal sealed class CompiledTree
{
    private readonly int[] _features;
    private readonly float[] _thresholds;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leaves;
    private readonly double _weight;

    public CompiledTree(RegressionTreeData tree, int width)
    {
        var nodes = tree.SplitFeatures.Length;
        if (tree.Thresholds.Length != nodes || tree.Left.Length != nodes || tree.Right.Length != nodes || tree.Leaves.Length != nodes + 1)
        {
            throw new InvalidDataException($"A tree has {nodes} splits but {tree.Thresholds.Length} thresholds, {tree.Left.Length}/{tree.Right.Length} children and {tree.Leaves.Length} leaves.");
        }
        if (tree.SplitFeatures.Any(f => f < 0 || f >= width) || tree.Left.Concat(tree.Right).Any(c => c >= nodes || ~c >= tree.Leaves.Length))
        {
            throw new InvalidDataException("A tree refers to a feature or node that does not exist.");
        }
        (_features, _thresholds, _left, _right, _leaves, _weight) = (tree.SplitFeatures, tree.Thresholds, tree.Left, tree.Right, tree.Leaves, tree.Weight);
    }

    public double Evaluate(ReadOnlySpan<float> features)
    {
        if (_features.Length == 0)
        {
            return _weight * _leaves[0];
        }
        var node = 0;
        while (node >= 0)
        {
            node = features[_features[node]] <= _thresholds[node] ? _left[node] : _right[node];
        }
        return _weight * _leaves[~node];
    }
}
