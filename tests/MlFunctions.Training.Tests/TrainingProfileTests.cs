using System.Globalization;
using MlFunctions.Core.Features;
using MlFunctions.Core.Models;
using MlFunctions.Core.Monitoring;

namespace MlFunctions.Training.Tests;

/// <summary>Every trained version carries its training rows' distribution, per column and per feature.</summary>
public sealed class TrainingProfileTests
{
    [Fact]
    public void The_penguin_profile_matches_the_training_rows()
    {
        var result = ModelTrainer.Train(PenguinData.Csv, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species" }, "penguins");
        var profile = result.Profile;
        var columns = profile.Columns.ToDictionary(c => c.Name);

        Assert.Equal(result.Bundle.Training.TrainRows, profile.Rows);
        Assert.Equal(new FeatureVectorizer(result.Bundle.Features).Width, profile.Features.Length);
        Assert.Equal(1, columns["Island"].Categories!.Values.Sum(), 9);
        Assert.Equal(["Biscoe", "Dream", "Torgersen"], columns["Island"].Categories!.Keys.Order());
        var mass = columns["Body Mass (g)"];
        Assert.Equal(1, mass.Shares!.Sum(), 9);
        Assert.Equal(mass.Edges!.Length + 1, mass.Shares!.Length);
        Assert.Equal(101, mass.Percentiles!.Length);
        Assert.True(mass.Percentiles[0] >= 2700 && mass.Percentiles[100] <= 6300, $"{mass.Percentiles[0]} .. {mass.Percentiles[100]}");
        Assert.True(columns["Sex"].MissingRate is > 0 and < 0.1, $"Sex missing {columns["Sex"].MissingRate}");
        // The deciles cut the masses into bins of about a tenth each.
        Assert.All(mass.Shares, share => Assert.InRange(share, 0.05, 0.16));
        // A one-hot feature: the share above its first edge (0) is the share of Biscoe.
        var biscoe = profile.Features.Single(f => f.Name == "Island=Biscoe");
        Assert.Equal(0, biscoe.Edges[0]);
        Assert.Equal(columns["Island"].Categories!["Biscoe"], biscoe.Shares[1..].Sum(), 6);
    }

    [Fact]
    public void Repeated_values_alike_on_both_sides_are_not_drift()
    {
        // Small integers (a count, a text's length in words, a date without a time): many ties.
        var random = new Random(5);
        var training = Enumerable.Range(0, 5000).Select(_ => (double)random.Next(0, 5)).ToArray();
        var (_, _, percentiles) = ProfileBuilder.Numeric(training);
        var same = Enumerable.Range(0, 1000).Select(_ => (double)random.Next(0, 5)).ToArray();
        var shifted = same.Select(v => Math.Min(4, v + 1)).ToArray();

        Assert.True(DriftMath.Ks(percentiles, same) < 0.05, DriftMath.Ks(percentiles, same).ToString(CultureInfo.InvariantCulture));
        Assert.True(DriftMath.KsPValue(DriftMath.Ks(percentiles, same), 5000, 1000) > 0.01);
        Assert.InRange(DriftMath.Ks(percentiles, shifted), 0.15, 0.25);
    }

    [Fact]
    public void Psi_and_ks_see_a_shift_and_not_a_resample()
    {
        var random = new Random(3);
        var training = Enumerable.Range(0, 5000).Select(_ => random.NextDouble() * 10).ToArray();
        var (edges, shares, percentiles) = ProfileBuilder.Numeric(training);
        double[] Shares(double[] sample) => [.. Enumerable.Range(0, shares.Length).Select(b => sample.Count(v => ProfileBuilder.Bin(edges, v) == b) / (double)sample.Length)];

        var same = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * 10).ToArray();
        var shifted = same.Select(v => v + 3).ToArray();

        Assert.True(DriftMath.Psi(shares, Shares(same)) < 0.1, DriftMath.Psi(shares, Shares(same)).ToString(CultureInfo.InvariantCulture));
        Assert.True(DriftMath.Psi(shares, Shares(shifted)) > 1);
        Assert.True(DriftMath.KsPValue(DriftMath.Ks(percentiles, same), 5000, 500) > 0.01);
        Assert.InRange(DriftMath.Ks(percentiles, shifted), 0.25, 0.35);
        Assert.True(DriftMath.KsPValue(DriftMath.Ks(percentiles, shifted), 5000, 500) < 1e-6);
    }
}
