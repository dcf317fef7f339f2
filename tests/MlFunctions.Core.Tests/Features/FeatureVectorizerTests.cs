using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Tests.Features;

public sealed class FeatureVectorizerTests
{
    private static readonly FeatureSpec Spec = new(
    [
        new ColumnSpec { Name = "age", Kind = ColumnKind.Numeric, Fitted = new ColumnStats { Fill = 30, Mean = 40, Std = 10, Min = 20, Max = 60 } },
        new ColumnSpec { Name = "size", Kind = ColumnKind.Numeric, Scaling = "minmax", Fitted = new ColumnStats { Fill = 5, Mean = 5, Std = 1, Min = 0, Max = 10 } },
        new ColumnSpec { Name = "colour", Kind = ColumnKind.Categorical, Fitted = new ColumnStats { Categories = ["blue", "red"] } },
        new ColumnSpec { Name = "member", Kind = ColumnKind.Boolean },
        new ColumnSpec { Name = "note", Kind = ColumnKind.Text, Buckets = 16, Required = false },
        new ColumnSpec { Name = "id", Kind = ColumnKind.Ignore },
    ]);

    private static float[] Transform(string json, long record = 0)
    {
        var vectorizer = new FeatureVectorizer(Spec);
        return vectorizer.Transform(new JsonRecord(JsonDocument.Parse(json).RootElement, vectorizer.Columns), record);
    }

    [Fact]
    public void Names_are_stable_and_ignored_columns_produce_nothing()
    {
        var names = new FeatureVectorizer(Spec).Names;

        Assert.Equal(["age", "size", "colour=blue", "colour=red", "colour=<unknown>", "member"], names.Take(6));
        Assert.Equal(6 + 16, names.Count);
        Assert.Equal("note#15", names[^1]);
    }

    [Fact]
    public void Each_kind_encodes_as_specified()
    {
        var vector = Transform("""{"age": 55, "size": 2.5, "colour": "red", "member": "yes", "note": "Hello hello", "id": 7}""");

        Assert.Equal([1.5f, 0.25f, 0, 1, 0, 1], vector[..6]);
        // Word unigrams "hello" twice and the bigram "hello hello" once: three counts in all.
        Assert.Equal(3, vector[6..].Sum());
        Assert.Contains(2f, vector[6..]);
    }

    [Fact]
    public void Missing_values_are_imputed_and_unknown_categories_share_one_slot()
    {
        var vector = Transform("""{"age": null, "size": null, "colour": "green", "member": null}""");

        Assert.Equal([-1f, 0.5f, 0, 0, 1, 0], vector[..6]);
        Assert.All(vector[6..], v => Assert.Equal(0, v));
    }

    [Fact]
    public void Text_hashing_is_case_insensitive_and_the_same_in_every_process()
    {
        var upper = Transform("""{"age": 1, "size": 1, "colour": "red", "member": true, "note": "Cheap FLIGHTS"}""")[6..];
        var lower = Transform("""{"age": 1, "size": 1, "colour": "red", "member": true, "note": "cheap flights"}""")[6..];

        Assert.Equal(upper, lower);
        // Pinned: saved models depend on these buckets, so the hash must never change between versions.
        Assert.Equal(7, new TextHasher(16, (1, 1), null).Bucket("w:cheap"));
    }

    [Theory]
    [InlineData("""{"size": 1, "colour": "red", "member": true}""", "missing-column", "age")]
    [InlineData("""{"age": "old", "size": 1, "colour": "red", "member": true}""", "invalid-record", "age")]
    [InlineData("""{"age": true, "size": 1, "colour": "red", "member": true}""", "invalid-record", "age")]
    [InlineData("""{"age": 1, "size": 1, "colour": {"r": 1}, "member": true}""", "invalid-record", "colour")]
    [InlineData("""{"age": 1, "size": 1, "colour": "red", "member": "maybe"}""", "invalid-record", "member")]
    public void A_bad_record_names_its_index_and_column(string json, string type, string column)
    {
        var problem = Assert.Throws<ProblemException>(() => Transform(json, record: 4));

        Assert.Equal(type, problem.Type.Slug);
        Assert.Equal(column, problem.Parameter);
        Assert.Equal(4, problem.Record);
        Assert.Contains("Record 4", problem.Message);
    }

    [Fact]
    public void An_unfitted_spec_cannot_transform()
    {
        var problem = Assert.Throws<ProblemException>(() => new FeatureVectorizer(new FeatureSpec([new ColumnSpec { Name = "x", Kind = ColumnKind.Numeric }])));

        Assert.Contains("fit the spec", problem.Message);
    }
}
