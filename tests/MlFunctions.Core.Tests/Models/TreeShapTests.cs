using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Explanations;

namespace MlFunctions.Core.Tests.Models;

/// <summary>TreeSHAP against the definition: Shapley values by brute force over every subset of features, on random trees.</summary>
public sealed class TreeShapTests
{
    private const int Features = 5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Tree_shap_equals_the_shapley_values_by_brute_force(int seed)
    {
        var random = new Random(seed);
        var trees = Enumerable.Range(0, 4).Select(_ => RandomTree(random)).ToArray();
        var counts = trees.SelectMany(t => t.Leaves.Select(_ => random.Next(0, 4) == 0 ? 1 : random.Next(1, 50))).ToArray();
        var ensemble = new TreeEnsembleOutput(0.25, trees, counts);
        var explainer = new ModelExplainer(new ScoringModel { Link = ScoringModel.Identity, Trees = [ensemble] });

        for (var row = 0; row < 20; row++)
        {
            var x = Enumerable.Range(0, Features).Select(_ => (float)random.NextDouble()).ToArray();
            var phi = new double[Features];
            var @base = explainer.Explain(x, 0, phi);

            var expected = BruteForce(ensemble, x);
            for (var f = 0; f < Features; f++)
            {
                Assert.Equal(expected[f], phi[f], 9);
            }
            Assert.Equal(Value(ensemble, x, (1 << Features) - 1), @base + phi.Sum(), 9);
            Assert.Equal(Value(ensemble, x, 0), @base, 9);
            Assert.Equal("treeshap", explainer.Method);
        }
    }

    /// <summary>φ_i = Σ over S without i of |S|!(n-|S|-1)!/n! (v(S ∪ i) - v(S)).</summary>
    private static double[] BruteForce(TreeEnsembleOutput ensemble, float[] x)
    {
        var phi = new double[Features];
        for (var i = 0; i < Features; i++)
        {
            for (var set = 0; set < 1 << Features; set++)
            {
                if ((set & (1 << i)) != 0)
                {
                    continue;
                }
                var size = System.Numerics.BitOperations.PopCount((uint)set);
                var weight = Factorial(size) * Factorial(Features - size - 1) / Factorial(Features);
                phi[i] += weight * (Value(ensemble, x, set | (1 << i)) - Value(ensemble, x, set));
            }
        }
        return phi;
    }

    /// <summary>v(S): the ensemble's expected output when only the features in S are known, the rest following both branches by cover.</summary>
    private static double Value(TreeEnsembleOutput ensemble, float[] x, int known)
    {
        var total = ensemble.Bias;
        var start = 0;
        foreach (var tree in ensemble.Trees)
        {
            var counts = ensemble.LeafCounts!.AsSpan(start, tree.Leaves.Length).ToArray();
            start += tree.Leaves.Length;
            total += tree.Weight * Expect(tree, counts, x, known, 0).Value;
        }
        return total;
    }

    private static (double Value, double Cover) Expect(RegressionTreeData tree, int[] counts, float[] x, int known, int node)
    {
        if (node < 0)
        {
            return (tree.Leaves[~node], counts[~node]);
        }
        var left = Expect(tree, counts, x, known, tree.Left[node]);
        var right = Expect(tree, counts, x, known, tree.Right[node]);
        var cover = left.Cover + right.Cover;
        var feature = tree.SplitFeatures[node];
        if ((known & (1 << feature)) != 0)
        {
            return (x[feature] <= tree.Thresholds[node] ? left.Value : right.Value, cover);
        }
        return (((left.Value * left.Cover) + (right.Value * right.Cover)) / cover, cover);
    }

    private static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    /// <summary>A random tree as ML.NET numbers them (a child is a later node; leaf ~l), depth up to 5, features repeating along paths.</summary>
    private static RegressionTreeData RandomTree(Random random)
    {
        var (features, thresholds, left, right, leaves) = (new List<int>(), new List<float>(), new List<int>(), new List<int>(), new List<double>());
        int Build(int depth)
        {
            if (depth >= 5 || (depth > 0 && random.NextDouble() < 0.3))
            {
                leaves.Add(Math.Round((random.NextDouble() * 10) - 5, 3));
                return ~(leaves.Count - 1);
            }
            var node = features.Count;
            features.Add(random.Next(Features));
            thresholds.Add((float)random.NextDouble());
            left.Add(0);
            right.Add(0);
            left[node] = Build(depth + 1);
            right[node] = Build(depth + 1);
            return node;
        }
        Build(0);
        return new RegressionTreeData(0.5 + random.NextDouble(), [.. features], [.. thresholds], [.. left], [.. right], [.. leaves]);
    }
}
