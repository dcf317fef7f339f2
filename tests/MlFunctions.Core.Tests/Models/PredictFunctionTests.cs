using System.Text;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Tests.Models;

public sealed class PredictFunctionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlf-models-").FullName;
    private readonly ObjectModelStore _store;
    private readonly ManualClock _clock = new();
    private readonly ModelCache _models;

    public PredictFunctionTests()
    {
        _store = new ObjectModelStore(new LocalFolderStore(_root));
        _models = new ModelCache(_store, TimeSpan.FromSeconds(1), _clock);
    }

    private async Task Publish(ModelBundle bundle, bool champion = true)
    {
        await _store.WriteVersionAsync(bundle, [], CancellationToken.None);
        if (champion)
        {
            await _store.TryPromoteAsync(bundle.Name, new ChampionPointer(bundle.Version, "macroAccuracy", 0.5, DateTimeOffset.UnixEpoch), WriteCondition.Always, CancellationToken.None);
        }
    }

    private Task<FunctionResponse> Predict(string model, string body, string query = "") =>
        FunctionCall.InvokeAsync("predict", query, Encoding.UTF8.GetBytes(body), models: _models, model: model);

    private static JsonElement Json(FunctionResponse response)
    {
        Assert.Equal(200, response.Status);
        return JsonDocument.Parse(response.Body).RootElement;
    }

    [Fact]
    public async Task A_linear_explanation_is_weight_times_prepared_value_summed_per_column()
    {
        await Publish(TestBundles.Multiclass("pets", "v1"));

        var body = Json(await Predict("pets", """{"records": [{"x": 12, "colour": "red"}]}""", "explain=true"));

        // Features [1, 0, 1, 0] (x standardised, then colour one-hot); the predicted class is dog (scores 1, 1, -0.5... see below).
        float[] features = [1, 0, 1, 0];
        var scores = TestBundles.MulticlassWeights.Select((w, c) => w.Zip(features, (a, b) => (double)a * b).Sum() + TestBundles.MulticlassBias[c]).ToArray();
        var predicted = Array.IndexOf(scores, scores.Max());
        var explanation = body.GetProperty("explanations")[0];
        Assert.Equal(new[] { "cat", "dog", "eel" }[predicted], explanation.GetProperty("output").GetString());
        Assert.Equal("linear", explanation.GetProperty("method").GetString());
        Assert.Equal(TestBundles.MulticlassBias[predicted], explanation.GetProperty("base").GetDouble(), 6);
        Assert.Equal(scores[predicted], explanation.GetProperty("margin").GetDouble(), 5);
        var weights = TestBundles.MulticlassWeights[predicted];
        var contributions = explanation.GetProperty("contributions");
        Assert.Equal(["x", "colour"], contributions.EnumerateObject().Select(p => p.Name));
        Assert.Equal(weights[0] * 1.0, contributions.GetProperty("x").GetDouble(), 6);
        Assert.Equal((weights[1] * 0.0) + (weights[2] * 1.0) + (weights[3] * 0.0), contributions.GetProperty("colour").GetDouble(), 6);
    }

    [Fact]
    public async Task A_tree_explanation_weighs_branches_by_the_training_rows_and_sums_to_the_value()
    {
        await Publish(TestBundles.Regression("trees", "v1"));

        var body = Json(await Predict("trees", """{"records": [{"x": 12, "colour": "red"}, {"x": 1, "colour": "blue"}], "explain": true}"""));

        // Tree 1: 3 training rows went left (1), 1 right (3): expected 1.5. Tree 2: 2 and 2 of 0 and 10: expected 5.
        // Each tree splits once, on its own feature: its Shapley value is its leaf less its expectation.
        var first = body.GetProperty("explanations")[0];
        Assert.Equal("treeshap", first.GetProperty("method").GetString());
        Assert.Equal(106.5, first.GetProperty("base").GetDouble(), 9);
        Assert.Equal(113, first.GetProperty("margin").GetDouble(), 9);
        Assert.Equal(113, body.GetProperty("values")[0].GetDouble(), 9);
        Assert.Equal(1.5, first.GetProperty("contributions").GetProperty("x").GetDouble(), 9);
        Assert.Equal(5, first.GetProperty("contributions").GetProperty("colour").GetDouble(), 9);
        var second = body.GetProperty("explanations")[1];
        Assert.Equal(-0.5, second.GetProperty("contributions").GetProperty("x").GetDouble(), 9);
        Assert.Equal(-5, second.GetProperty("contributions").GetProperty("colour").GetDouble(), 9);
        Assert.Equal(101, second.GetProperty("margin").GetDouble(), 9);
    }

    [Fact]
    public async Task Without_leaf_counts_every_leaf_weighs_the_same_and_the_sum_still_holds()
    {
        var bundle = TestBundles.Regression("old", "v1");
        await Publish(bundle with { Model = bundle.Model with { Trees = [bundle.Model.Trees![0] with { LeafCounts = null }] } });

        var explanation = Json(await Predict("old", """{"records": [{"x": 12, "colour": "red"}]}""", "explain=1")).GetProperty("explanations")[0];

        Assert.Equal(100 + 2 + 5, explanation.GetProperty("base").GetDouble(), 9);
        Assert.Equal(113, explanation.GetProperty("base").GetDouble() + explanation.GetProperty("contributions").EnumerateObject().Sum(p => p.Value.GetDouble()), 9);
    }

    [Theory]
    [InlineData("explain=maybe", """{"records": [{"x": 1, "colour": "red"}]}""", "explain")]
    [InlineData("", """{"records": [{"x": 1, "colour": "red"}], "explain": "yes"}""", null)]
    public async Task A_bad_explain_value_is_a_400(string query, string body, string? parameter)
    {
        await Publish(TestBundles.Regression("trees", "v1"));

        var response = await Predict("trees", body, query);

        Assert.Equal(400, response.Status);
        if (parameter is not null)
        {
            Assert.Contains($"\"{parameter}\"", Encoding.UTF8.GetString(response.Body.Span));
        }
    }

    [Fact]
    public async Task Multiclass_probabilities_are_the_softmax_of_the_linear_scores()
    {
        await Publish(TestBundles.Multiclass("pets", "v1"));

        var body = Json(await Predict("pets", """{"records": [{"x": 12, "colour": "blue"}], "topK": 3}"""));

        // Computed here: features [1, 1, 0, 0]; scores = W.f + b; softmax.
        float[] features = [1, 1, 0, 0];
        var scores = TestBundles.MulticlassWeights.Select((w, c) => w.Zip(features, (a, b) => (double)a * b).Sum() + TestBundles.MulticlassBias[c]).ToArray();
        var expected = scores.Select(s => Math.Exp(s) / scores.Sum(Math.Exp)).ToArray();
        var top = body.GetProperty("predictions")[0].GetProperty("top");
        var byLabel = top.EnumerateArray().ToDictionary(t => t.GetProperty("label").GetString()!, t => t.GetProperty("probability").GetDouble());
        Assert.Equal(expected[0], byLabel["cat"], 6);
        Assert.Equal(expected[1], byLabel["dog"], 6);
        Assert.Equal(expected[2], byLabel["eel"], 6);
        Assert.Equal("v1", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_record_whose_strings_are_not_utf8_is_a_400_not_a_5xx()
    {
        // Found by the fuzz program: the JSON reader only checks a string's bytes when it is read.
        await Publish(TestBundles.Multiclass("pets", "v1"));
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"records\": [{\"x\": 1, \"colour\": \""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}]}")];

        var response = await FunctionCall.InvokeAsync("predict", "", body, models: _models, model: "pets");

        Assert.Equal(400, response.Status);
        Assert.Contains("not valid UTF-8", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_models_decide_at_the_threshold()
    {
        await Publish(TestBundles.Binary("spam", "v1"));

        var body = Json(await Predict("spam", """{"records": [{"x": 12, "colour": "red"}, {"x": 8, "colour": "red"}], "threshold": 0.6}"""));

        // x=12 standardizes to 1: p = 1/(1+e^-1) = 0.731 >= 0.6 -> yes; x=8 gives 0.269 -> no.
        var predictions = body.GetProperty("predictions");
        Assert.Equal("yes", predictions[0].GetProperty("label").GetString());
        Assert.Equal(1 / (1 + Math.Exp(-1)), predictions[0].GetProperty("probability").GetDouble(), 6);
        Assert.Equal("no", predictions[1].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Regression_models_return_values_in_record_order()
    {
        await Publish(TestBundles.Regression("price", "v1"));

        var body = Json(await Predict("price", """{"records": [{"x": 10, "colour": "red"}, {"x": 14, "colour": "blue"}, {"x": null, "colour": null}]}"""));

        Assert.Equal([111.0, 103.0, 101.0], body.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task A_new_champion_is_served_once_the_recheck_interval_passes_without_a_restart()
    {
        await Publish(TestBundles.Multiclass("pets", "v1"));
        Assert.Equal("v1", Json(await Predict("pets", """{"records": []}""")).GetProperty("version").GetString());

        await Publish(TestBundles.Multiclass("pets", "v2"));
        Assert.Equal("v1", Json(await Predict("pets", """{"records": []}""")).GetProperty("version").GetString());
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("v2", Json(await Predict("pets", """{"records": []}""")).GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_pinned_version_is_served_even_when_it_is_not_the_champion()
    {
        await Publish(TestBundles.Multiclass("pets", "v1"));
        await Publish(TestBundles.Multiclass("pets", "v2"));

        Assert.Equal("v1", Json(await Predict("pets", """{"records": []}""", "version=v1")).GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("unicorns", "", 404, "model-not-found")]
    [InlineData("pets", "version=v9", 404, "model-not-found")]
    [InlineData("..", "", 400, "invalid-parameter")]
    [InlineData("pets", "version=../../etc", 400, "invalid-parameter")]
    [InlineData("pets", "versoin=v1", 400, "invalid-parameter")]
    public async Task Unknown_or_malformed_models_and_versions_are_refused(string model, string query, int status, string type)
    {
        await Publish(TestBundles.Multiclass("pets", "v1"));

        var problem = FunctionCall.Problem(await Predict(model, """{"records": []}""", query));

        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:mlfunctions:problem:" + type, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_bad_record_is_a_400_naming_its_index_and_column()
    {
        await Publish(TestBundles.Multiclass("pets", "v1"));

        var problem = FunctionCall.Problem(await Predict("pets", """{"records": [{"x": 1, "colour": "red"}, {"x": "tall", "colour": "red"}]}"""));

        Assert.Equal(1, problem.GetProperty("record").GetInt32());
        Assert.Equal("x", problem.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Features_can_use_a_models_own_spec()
    {
        await Publish(TestBundles.Multiclass("pets", "v1"));

        var response = await FunctionCall.InvokeAsync("features", "", """{"model": "pets", "records": [{"x": 14, "colour": "green"}]}"""u8.ToArray(), models: _models);

        var body = Json(response);
        Assert.Equal(["x", "colour=blue", "colour=red", "colour=<unknown>"], body.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal([2f, 0, 0, 1], body.GetProperty("vectors")[0].EnumerateArray().Select(v => v.GetSingle()));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
