using System.Net;
using System.Text.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>predict against the sample model that the host trains on a fresh start.</summary>
public sealed class PredictOverHttpTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private const string Penguins = """
        {"records": [
          {"Island": "Torgersen", "Beak Length (mm)": 39.1, "Beak Depth (mm)": 18.7, "Flipper Length (mm)": 181, "Body Mass (g)": 3750, "Sex": "MALE"},
          {"Island": "Biscoe", "Beak Length (mm)": 46.1, "Beak Depth (mm)": 13.2, "Flipper Length (mm)": 211, "Body Mass (g)": 4500, "Sex": "FEMALE"},
          {"Island": "Dream", "Beak Length (mm)": 46.5, "Beak Depth (mm)": 17.9, "Flipper Length (mm)": 192, "Body Mass (g)": 3500, "Sex": null}
        ], "topK": 2}
        """;

    [Fact]
    public async Task The_sample_model_names_each_species()
    {
        using var response = await host.Client.PostAsync("/api/predict/penguins", new StringContent(Penguins));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("penguins", body.GetProperty("model").GetString());
        Assert.Equal(["Adelie", "Gentoo", "Chinstrap"], body.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()));
        Assert.All(body.GetProperty("predictions").EnumerateArray(), p => Assert.Equal(2, p.GetProperty("top").GetArrayLength()));
    }

    [Fact]
    public async Task A_new_champion_is_picked_up_without_a_restart()
    {
        var store = new ObjectModelStore(LocalHost.BucketStore(["--bucket", host.Bucket]));
        var champion = (await store.ReadChampionAsync(SampleModel.Name, CancellationToken.None))!;
        var bundle = (await store.ReadBundleAsync(SampleModel.Name, champion.Version, CancellationToken.None))!;
        var copy = bundle with { Version = champion.Version + "-copy" };
        await store.WriteVersionAsync(copy, [], CancellationToken.None);
        await store.TryPromoteAsync(SampleModel.Name, champion with { Version = copy.Version }, WriteCondition.Always, CancellationToken.None);
        try
        {
            string? served = null;
            for (var attempt = 0; attempt < 30 && served != copy.Version; attempt++)
            {
                await Task.Delay(200);
                using var response = await host.Client.PostAsync("/api/predict/penguins", new StringContent("""{"records": []}"""));
                served = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetString();
            }
            Assert.Equal(copy.Version, served);
        }
        finally
        {
            await store.TryPromoteAsync(SampleModel.Name, champion, WriteCondition.Always, CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_problem()
    {
        using var response = await host.Client.PostAsync("/api/predict/walruses", new StringContent("""{"records": []}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Predict_gives_the_same_answer_under_AOT_as_under_JIT() => await AssertSameUnderAotAsync("penguins", "");

    [Fact]
    public async Task Explanations_of_linear_and_tree_models_are_the_same_bytes_under_AOT_as_under_JIT()
    {
        // The sample model is linear; a tree model of the same data joins it in the host's bucket.
        var trees = MlFunctions.Training.ModelTrainer.Train(RepoPaths.Penguins,
            new MlFunctions.Core.Models.ModelSpec { Task = "multiclass", Label = "Species", Trainer = "tree", Iterations = 30 }, "penguin-trees").Bundle;
        var store = new ObjectModelStore(LocalHost.BucketStore(["--bucket", host.Bucket]));
        await store.WriteVersionAsync(trees, [], CancellationToken.None);
        await store.TryPromoteAsync(trees.Name, new ChampionPointer(trees.Version, "macroAccuracy", 1, DateTimeOffset.UtcNow), WriteCondition.Always, CancellationToken.None);

        var linear = await AssertSameUnderAotAsync("penguins", "explain=true");
        var tree = await AssertSameUnderAotAsync("penguin-trees", "explain=true");

        Assert.Equal("linear", linear.GetProperty("explanations")[0].GetProperty("method").GetString());
        Assert.Equal("treeshap", tree.GetProperty("explanations")[0].GetProperty("method").GetString());
        Assert.Equal(3, tree.GetProperty("explanations").GetArrayLength());
    }

    private async Task<JsonElement> AssertSameUnderAotAsync(string model, string query)
    {
        var input = Path.Combine(host.Bucket, $"predict-{model}.json");
        await File.WriteAllTextAsync(input, Penguins);
        using var jit = await host.Client.PostAsync($"/api/predict/{model}?{query}", new StringContent(Penguins));

        var aot = await AotProbeRunner.RunAsync($"predict/{model}", query, input, host.Bucket);

        Assert.Equal(200, aot.Status);
        var body = await jit.Content.ReadAsStringAsync();
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(aot.Body));
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
