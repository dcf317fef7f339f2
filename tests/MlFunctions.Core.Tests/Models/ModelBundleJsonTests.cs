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
