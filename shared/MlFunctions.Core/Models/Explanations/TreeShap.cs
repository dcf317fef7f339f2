using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models.Explanations;

/// <summary>
/// Path-dependent TreeSHAP (Lundberg, Erion and Lee, "Consistent Individualized Feature Attribution for
/// Tree Ensembles", Algorithm 2): exact Shapley values of one tree's output, where a feature left out
/// follows both branches weighted by the training rows that took each (the node covers). Written out
/// here because no SHAP library restores for .NET, let alone under Native AOT; a test holds it to the
/// Shapley values computed by brute force over every subset of features.
/// </summary>
internal sealed class TreeShap
{
    private readonly RegressionTreeData _tree;
    private readonly double[] _cover; // per node: the training rows that reached it
    private readonly double[] _leafCover;

    public TreeShap(RegressionTreeData tree, int[]? leafCounts)
    {
        _tree = tree;
        var nodes = tree.SplitFeatures.Length;
        _leafCover = [.. tree.Leaves.Select((_, l) => leafCounts is null ? 1.0 : leafCounts[l])];
        _cover = new double[nodes];
        for (var n = nodes - 1; n >= 0; n--)
        {
            _cover[n] = Cover(tree.Left[n]) + Cover(tree.Right[n]);
        }
        Depth = nodes == 0 ? 0 : MaxDepth(0);
    }

    /// <summary>The tree's expected output over the training rows (leaves weighted by their counts).</summary>
    public double Expected(out double total)
    {
        total = _leafCover.Sum();
        var sum = 0.0;
        for (var l = 0; l < _tree.Leaves.Length; l++)
        {
            sum += _tree.Leaves[l] * _leafCover[l];
        }
        return total > 0 ? sum / total : _tree.Leaves.Average();
    }

    private int Depth { get; }

    /// <summary>About how many steps explaining one row takes: leaves x (depth + 1)², as the algorithm's bound.</summary>
    public long Cost => (long)_tree.Leaves.Length * (Depth + 1) * (Depth + 1);

    /// <summary>Adds <paramref name="weight"/> x each feature's SHAP value for <paramref name="x"/> into <paramref name="phi"/>.</summary>
    public void Explain(ReadOnlySpan<float> x, double weight, Span<double> phi)
    {
        if (_tree.SplitFeatures.Length == 0)
        {
            return; // a single leaf: the expected value is the output, nothing to attribute
        }
        // One segment of the path per depth, as the reference implementation keeps them (each level's copy is unwound in place).
        var path = new PathElement[(Depth + 2) * (Depth + 3) / 2];
        Recurse(0, x, path, 0, 0, 1, 1, -1, weight, phi);
    }

    private double Cover(int child) => child >= 0 ? _cover[child] : _leafCover[~child];

    private int MaxDepth(int node) => node < 0 ? 0 : 1 + Math.Max(MaxDepth(_tree.Left[node]), MaxDepth(_tree.Right[node]));

    private struct PathElement
    {
        public int Feature;
        public double Zero;
        public double One;
        public double Weight;
    }

    private void Recurse(int node, ReadOnlySpan<float> x, PathElement[] pool, int start, int depth, double zero, double one, int feature, double weight, Span<double> phi)
    {
        // This level's path: the parent's (at start), copied after it, then extended.
        var path = pool.AsSpan(start + depth);
        if (depth > 0)
        {
            pool.AsSpan(start, depth).CopyTo(path);
        }
        Extend(path, depth, zero, one, feature);
        if (node < 0)
        {
            var value = _tree.Leaves[~node] * weight;
            for (var i = 1; i <= depth; i++)
            {
                var element = path[i];
                phi[element.Feature] += UnwoundSum(path, depth, i) * (element.One - element.Zero) * value;
            }
            return;
        }
        var split = _tree.SplitFeatures[node];
        var (hot, cold) = x[split] <= _tree.Thresholds[node] ? (_tree.Left[node], _tree.Right[node]) : (_tree.Right[node], _tree.Left[node]);
        var cover = _cover[node];
        var (hotZero, coldZero) = cover > 0 ? (Cover(hot) / cover, Cover(cold) / cover) : (0.5, 0.5);
        double incomingZero = 1, incomingOne = 1;
        var index = 0;
        while (index <= depth && path[index].Feature != split)
        {
            index++;
        }
        var childDepth = depth;
        if (index <= depth)
        {
            // A feature split on again: its earlier element is taken out of the path and its fractions carried down.
            (incomingZero, incomingOne) = (path[index].Zero, path[index].One);
            Unwind(path, depth, index);
            childDepth--;
        }
        var next = start + depth;
        Recurse(hot, x, pool, next, childDepth + 1, hotZero * incomingZero, incomingOne, split, weight, phi);
        Recurse(cold, x, pool, next, childDepth + 1, coldZero * incomingZero, 0, split, weight, phi);
    }

    private static void Extend(Span<PathElement> path, int depth, double zero, double one, int feature)
    {
        path[depth] = new PathElement { Feature = feature, Zero = zero, One = one, Weight = depth == 0 ? 1 : 0 };
        for (var i = depth - 1; i >= 0; i--)
        {
            path[i + 1].Weight += one * path[i].Weight * (i + 1) / (depth + 1);
            path[i].Weight = zero * path[i].Weight * (depth - i) / (depth + 1);
        }
    }

    private static void Unwind(Span<PathElement> path, int depth, int index)
    {
        var (one, zero) = (path[index].One, path[index].Zero);
        var nextOne = path[depth].Weight;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var kept = path[i].Weight;
                path[i].Weight = nextOne * (depth + 1) / ((i + 1) * one);
                nextOne = kept - (path[i].Weight * zero * (depth - i) / (depth + 1));
            }
            else
            {
                path[i].Weight = path[i].Weight * (depth + 1) / (zero * (depth - i));
            }
        }
        for (var i = index; i < depth; i++)
        {
            path[i].Feature = path[i + 1].Feature;
            path[i].Zero = path[i + 1].Zero;
            path[i].One = path[i + 1].One;
        }
    }

    private static double UnwoundSum(Span<PathElement> path, int depth, int index)
    {
        var (one, zero) = (path[index].One, path[index].Zero);
        var nextOne = path[depth].Weight;
        var total = 0.0;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var part = nextOne * (depth + 1) / ((i + 1) * one);
                total += part;
                nextOne = path[i].Weight - (part * zero * (depth - i) / (depth + 1));
            }
            else if (zero != 0)
            {
                total += path[i].Weight / zero / ((depth - i) / (double)(depth + 1));
            }
        }
        return total;
    }
}
