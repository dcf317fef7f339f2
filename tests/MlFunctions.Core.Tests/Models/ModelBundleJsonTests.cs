using MlFunctions.Core.Features;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Tests.Models;

/// <summary>Bundles are written by the serializer and read by hand (BundleReader): the two must agree on every field.</summary>
public sealed class ModelBundleJsonTests
{
    public static TheoryData<string> Kinds() => new() { "multiclass", "binary", "regression", "everything" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_bundle_reads_back_to_the_same_json(string kind)
    {
        var bundle = kind switch
        {
            "multiclass" => TestBundles.Multiclass("m", "v1"),
            "binary" => TestBundles.Binary("b", "v1"),
            "regression" => TestBundles.Regression("r", "v1"),
            _ => TestBundles.Multiclass("e", "v1") with
            {
                Features = new FeatureSpec(
                [
                    new ColumnSpec { Name = "x", Kind = ColumnKind.Numeric, Impute = "constant", Constant = -1.5, Scaling = "minmax", Required = false, Fitted = new ColumnStats { Count = 3, Missing = 1, Fill = -1.5, Mean = 0.25, Std = 1e-9, Min = -3, Max = 7 } },
                    new ColumnSpec { Name = "colour", Kind = ColumnKind.Categorical, MaxCategories = 7, Fitted = new ColumnStats { Categories = ["blue", "red"] } },
                    new ColumnSpec { Name = "note", Kind = ColumnKind.Text, Buckets = 8, WordNgrams = [], CharNgrams = [2, 3], Binary = true },
                    new ColumnSpec { Name = "when", Kind = ColumnKind.DateTime, Format = "dmy", Parts = ["hour", "year"], Impute = "median", Fitted = new ColumnStats { Fill = 1.7e9, Mean = 1.6e9, Std = 3e7 } },
                    new ColumnSpec { Name = "id", Kind = ColumnKind.Ignore },
                ]),
                Metrics = new Dictionary<string, double> { ["auc"] = double.NaN, ["accuracy"] = 0.1 + 0.2 },
            },
        };

        var written = ModelBundleJson.Write(bundle);
        var read = ModelBundleJson.Read(written);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(written), System.Text.Encoding.UTF8.GetString(ModelBundleJson.Write(read)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"format": 1, "name": "x"}""")]
    [InlineData("not json")]
    public void A_broken_bundle_is_invalid_data_not_a_crash(string json) =>
        Assert.Throws<InvalidDataException>(() => ModelBundleJson.Read(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void An_ensembles_trees_are_written_as_one_packed_string_and_a_format_1_bundle_with_tree_objects_still_reads()
    {
        var bundle = TestBundles.Regression("r", "v1");
        var written = System.Text.Encoding.UTF8.GetString(ModelBundleJson.Write(bundle));
        var ensemble = System.Text.Json.Nodes.JsonNode.Parse(written)!["model"]!["trees"]![0]!;
        var packed = Convert.FromBase64String((string)ensemble["trees"]!);

        // The first tree, little-endian: 1 node, 2 leaves, weight 1; feature 0, threshold 0.5, children ~0 and ~1; leaves 1 and 3.
        byte[] first = [.. BitConverter.GetBytes(1), .. BitConverter.GetBytes(2), .. BitConverter.GetBytes(1.0), .. BitConverter.GetBytes(0),
            .. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(-1), .. BitConverter.GetBytes(-2), .. BitConverter.GetBytes(1.0), .. BitConverter.GetBytes(3.0)];
        Assert.Equal(first, packed[..first.Length]);
        Assert.Equal(2 * first.Length, packed.Length);

        // The same bundle as format 1 wrote it: a JSON object per tree, with lists of numbers.
        var formatOne = System.Text.Json.Nodes.JsonNode.Parse(written)!;
        formatOne["format"] = 1;
        formatOne["model"]!["trees"]![0]!["trees"] = new System.Text.Json.Nodes.JsonArray(bundle.Model.Trees![0].Trees.Select(t => new System.Text.Json.Nodes.JsonObject
        {
            ["weight"] = t.Weight,
            ["splitFeatures"] = Numbers(t.SplitFeatures),
            ["thresholds"] = Numbers(t.Thresholds),
            ["left"] = Numbers(t.Left),
            ["right"] = Numbers(t.Right),
            ["leaves"] = Numbers(t.Leaves),
        }).ToArray<System.Text.Json.Nodes.JsonNode?>());
        var read = ModelBundleJson.Read(System.Text.Encoding.UTF8.GetBytes(formatOne.ToJsonString()));

        Assert.Equal([0.0, 10.0], read.Model.Trees![0].Trees[1].Leaves);
        Assert.Equal(written.Replace("\"format\":2", "\"format\":1", StringComparison.Ordinal), System.Text.Encoding.UTF8.GetString(ModelBundleJson.Write(read)));
    }

    private static System.Text.Json.Nodes.JsonArray Numbers<T>(T[] values) =>
        new(values.Select(v => System.Text.Json.Nodes.JsonValue.Create(v)).ToArray<System.Text.Json.Nodes.JsonNode?>());

    [Theory]
    [InlineData("AAAA")]             // three bytes: ends inside the first tree's header
    [InlineData("not base64")]
    [InlineData("////fwAAAAAAAAAAAADwPw==")] // a node count of 2^31 - 1 with nothing after it
    public void Packed_trees_that_are_cut_short_or_corrupt_are_invalid_data(string trees)
    {
        var written = System.Text.Json.Nodes.JsonNode.Parse(ModelBundleJson.Write(TestBundles.Regression("r", "v1")))!;
        written["model"]!["trees"]![0]!["trees"] = trees;

        Assert.Throws<InvalidDataException>(() => ModelBundleJson.Read(System.Text.Encoding.UTF8.GetBytes(written.ToJsonString())));
    }

    [Fact]
    public void A_bundle_from_a_newer_format_is_refused_with_its_format_named()
    {
        var written = System.Text.Json.Nodes.JsonNode.Parse(ModelBundleJson.Write(TestBundles.Regression("r", "v1")))!;
        written["format"] = ModelBundle.CurrentFormat + 1;

        var refused = Assert.Throws<InvalidDataException>(() => ModelBundleJson.Read(System.Text.Encoding.UTF8.GetBytes(written.ToJsonString())));
        Assert.Contains($"format {ModelBundle.CurrentFormat + 1}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_whose_nodes_loop_back_is_refused_when_loaded_not_hung_on_when_scored()
    {
        var looping = TestBundles.Regression("r", "v1") with
        {
            Model = new ScoringModel
            {
                Link = ScoringModel.Identity,
                Trees = [new TreeEnsembleOutput(0, [new RegressionTreeData(1, [0, 0], [0.5f, 0.5f], [1, 0], [-1, -2], [1, 2, 3])])],
            },
        };

        Assert.Throws<InvalidDataException>(() => new MlFunctions.Core.Models.BundleScorer(looping));
    }
}
