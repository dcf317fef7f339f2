using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models.Explanations;

/// <summary>How many training rows reach each leaf of an ensemble: what an explanation weighs branches by.</summary>
public static class TreeCovers
{
    /// <summary>The ensemble with <see cref="TreeEnsembleOutput.LeafCounts"/> counted from <paramref name="rows"/> (feature vectors).</summary>
    public static TreeEnsembleOutput Count(TreeEnsembleOutput ensemble, IEnumerable<float[]> rows)
    {
        var starts = new int[ensemble.Trees.Length];
        for (var t = 1; t < starts.Length; t++)
        {
            starts[t] = starts[t - 1] + ensemble.Trees[t - 1].Leaves.Length;
        }
        var counts = new int[ensemble.Trees.Sum(t => t.Leaves.Length)];
        foreach (var row in rows)
        {
            for (var t = 0; t < ensemble.Trees.Length; t++)
            {
                counts[starts[t] + Leaf(ensemble.Trees[t], row)]++;
            }
        }
        return ensemble with { LeafCounts = counts };
    }

    /// <summary>Every ensemble of <paramref name="model"/> counted (linear models are returned as they are).</summary>
    public static ScoringModel Count(ScoringModel model, IReadOnlyCollection<float[]> rows) =>
        model.Trees is null ? model : model with { Trees = [.. model.Trees.Select(e => Count(e, rows))] };

    /// <summary>The leaf <paramref name="row"/> ends in.</summary>
    public static int Leaf(RegressionTreeData tree, ReadOnlySpan<float> row)
    {
        if (tree.SplitFeatures.Length == 0)
        {
            return 0;
        }
        var node = 0;
        while (node >= 0)
        {
            node = row[tree.SplitFeatures[node]] <= tree.Thresholds[node] ? tree.Left[node] : tree.Right[node];
        }
        return ~node;
    }
}
