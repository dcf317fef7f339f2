using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;
using Xunit.Abstractions;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>
/// The model lifecycle through the catalog's registry functions, as an adapter calls them: versions with
/// lineage, aliases, rollback, racing writes, evaluation-set gates and manual approval. Run on the local
/// folder and on a real cloud store (azurite).
/// </summary>
public abstract class RegistryScenarios(ITestOutputHelper output)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(300);

    protected abstract Task<IObjectStore> NewBucketAsync();

    private sealed record Call(int Status, JsonElement Body);

    /// <summary>A bucket with the penguin spec (changed by <paramref name="spec"/>), a catalog over it, and a way to call its functions.</summary>
    private async Task<(PipelineBucket Bucket, Func<string, Dictionary<string, string>, string, string?, Task<Call>> Invoke)> SetUpAsync(Action<JsonObject>? spec = null)
    {
        var store = await NewBucketAsync();
        var bucket = await PipelineBucket.CreateAsync(store, output.WriteLine);
        if (spec is not null)
        {
            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "penguins.model.json")))!.AsObject();
            spec(json);
            await store.WriteAsync(BucketLayout.ModelSpec(PipelineBucket.Model), Encoding.UTF8.GetBytes(json.ToJsonString()), "application/json", WriteCondition.Always, CancellationToken.None);
        }
        var catalog = FunctionCatalog.Create(FunctionLimits.Default, store, Recheck);
        var pipeline = new FunctionPipeline(catalog);
        return (bucket, async (function, route, body, query) =>
        {
            var descriptor = catalog.Find(function)!;
            var response = await pipeline.InvokeAsync(descriptor, new FunctionRequest
            {
                Method = descriptor.Method, Path = descriptor.Route, RouteValues = FunctionRequest.Map(route), Query = FunctionRequest.ParseQuery(query),
                Body = Encoding.UTF8.GetBytes(body),
            }, CancellationToken.None);
            return new Call(response.Status, JsonDocument.Parse(response.Body).RootElement.Clone());
        });
    }

    private static Dictionary<string, string> Route(params string[] pairs) =>
        Enumerable.Range(0, pairs.Length / 2).ToDictionary(i => pairs[2 * i], i => pairs[(2 * i) + 1]);

    private static readonly Dictionary<string, string> Penguins = Route("model", PipelineBucket.Model);

    private const string Record = """{"records": [{"Island": "Biscoe", "Beak Length (mm)": 46.1, "Beak Depth (mm)": 13.2, "Flipper Length (mm)": 211, "Body Mass (g)": 4500, "Sex": "FEMALE"}]}""";

    private static async Task<string> JobIdAsync(PipelineBucket bucket, string key, byte[] data)
    {
        var queued = await bucket.DeliverAsync(await bucket.DropAsync(key, data));
        return queued.Written.Select(BucketLayout.ParseJob).OfType<(string, string)>().Single().Item2;
    }

    private static async Task<JobStatus> TrainAsync(PipelineBucket bucket, string key, byte[] data) =>
        (await bucket.RetrainAsync(BucketLayout.Job(PipelineBucket.Model, await JobIdAsync(bucket, key, data))))!;

    [Fact]
    public async Task Versions_are_listed_with_lineage_an_alias_is_served_and_rollback_serves_the_previous_champion()
    {
        var (bucket, invoke) = await SetUpAsync();
        var first = await TrainAsync(bucket, "training/penguins/good.csv", PenguinFiles.Original);
        var second = await TrainAsync(bucket, "training/penguins/shuffled.csv", PenguinFiles.ShuffledTrainingLabels());
        Assert.Equal(JobStates.NotPromoted, second.State);
        var (v1, v2) = (first.Challenger!.Version, second.Challenger!.Version);

        var list = await invoke("models", [], "", null);
        Assert.Equal(200, list.Status);
        var summary = list.Body.GetProperty("models").EnumerateArray().Single();
        Assert.Equal(("penguins", "multiclass", v1), (summary.GetProperty("model").GetString(), summary.GetProperty("task").GetString(), summary.GetProperty("champion").GetString()));

        // By hand: the worse version becomes champion, and a staging alias names the first.
        Assert.Equal(200, (await invoke("set-alias", Route("model", "penguins", "alias", "champion"), $$"""{"version": "{{v2}}", "reason": "trying it"}""", null)).Status);
        Assert.Equal(200, (await invoke("set-alias", Route("model", "penguins", "alias", "staging"), $$"""{"version": "{{v1}}"}""", null)).Status);
        var details = (await invoke("model", Penguins, "", null)).Body;
        output.WriteLine(details.ToString());
        Assert.Equal([v2, v1], details.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        var card = details.GetProperty("versions")[1];
        Assert.Equal(first.JobId, card.GetProperty("origin").GetProperty("job").GetString());
        Assert.Equal("training/penguins/good.csv", card.GetProperty("origin").GetProperty("source").GetString());
        Assert.StartsWith("sha256:", card.GetProperty("sha256").GetString());
        Assert.Equal(275, card.GetProperty("trainRows").GetInt64());
        Assert.True(card.GetProperty("metrics").GetProperty("macroAccuracy").GetDouble() > 0.95);
        Assert.Equal(["previous", "staging"], card.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()).Order());
        Assert.Equal($"job {first.JobId}", card.GetProperty("promotions")[0].GetProperty("by").GetString());
        var aliases = details.GetProperty("aliases");
        Assert.Equal((v2, v1, v1), (aliases.GetProperty("champion").GetString(), aliases.GetProperty("previous").GetString(), aliases.GetProperty("staging").GetString()));
        var history = details.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([2L, 1L], history.Select(h => h.GetProperty("sequence").GetInt64()));
        Assert.Equal(("admin", "trying it", v1), (history[0].GetProperty("by").GetString(), history[0].GetProperty("reason").GetString(), history[0].GetProperty("previous").GetString()));

        var staged = await invoke("predict", Penguins, Record, "alias=staging");
        Assert.Equal(v1, staged.Body.GetProperty("version").GetString());
        Assert.Equal(v2, (await invoke("predict", Penguins, Record, null)).Body.GetProperty("version").GetString());

        var rollback = await invoke("rollback", Penguins, "", null);
        Assert.Equal(200, rollback.Status);
        Assert.Equal(v1, rollback.Body.GetProperty("version").GetString());
        // Served within the cache's recheck interval.
        await Task.Delay(Recheck + TimeSpan.FromMilliseconds(50));
        Assert.Equal(v1, (await invoke("predict", Penguins, Record, null)).Body.GetProperty("version").GetString());
        var after = (await invoke("model", Penguins, "", null)).Body;
        Assert.Equal(3, after.GetProperty("history").GetArrayLength());
        Assert.Equal(v2, after.GetProperty("aliases").GetProperty("previous").GetString());
    }

    [Fact]
    public async Task Bad_registry_calls_are_4xx_problems_that_change_nothing()
    {
        var (bucket, invoke) = await SetUpAsync();
        var first = await TrainAsync(bucket, "training/penguins/good.csv", PenguinFiles.Original);
        var before = (await invoke("model", Penguins, "", null)).Body.ToString();

        Assert.Equal(404, (await invoke("set-alias", Route("model", "penguins", "alias", "staging"), """{"version": "20990101T000000Z-nothing"}""", null)).Status);
        Assert.Equal(400, (await invoke("set-alias", Route("model", "penguins", "alias", "Staging\n"), $$"""{"version": "{{first.Challenger!.Version}}"}""", null)).Status);
        Assert.Equal(400, (await invoke("set-alias", Route("model", "penguins", "alias", "previous"), $$"""{"version": "{{first.Challenger.Version}}"}""", null)).Status);
        Assert.Equal(400, (await invoke("set-alias", Route("model", "penguins", "alias", "staging"), """{"version": "../../etc"}""", null)).Status);
        Assert.Equal(400, (await invoke("set-alias", Route("model", "penguins", "alias", "staging"), $$"""{"version": "{{first.Challenger.Version}}", "reason": "line\nbreak"}""", null)).Status);
        Assert.Equal(409, (await invoke("rollback", Penguins, "", null)).Status); // one champion so far: nothing to roll back to
        Assert.Equal(404, (await invoke("model", Route("model", "walruses"), "", null)).Status);
        Assert.Equal(404, (await invoke("predict", Penguins, Record, "alias=staging")).Status);
        Assert.Equal(400, (await invoke("predict", Penguins, Record, $"alias=champion&version={first.Challenger.Version}")).Status);
        Assert.Equal(before, (await invoke("model", Penguins, "", null)).Body.ToString());
    }

    [Fact]
    public async Task Racing_writes_leave_one_winner_each_time_a_valid_pointer_and_one_history_entry_per_win()
    {
        var (bucket, invoke) = await SetUpAsync();
        var v1 = (await TrainAsync(bucket, "training/penguins/good.csv", PenguinFiles.Original)).Challenger!.Version;
        var v2 = (await TrainAsync(bucket, "training/penguins/shuffled.csv", PenguinFiles.ShuffledTrainingLabels())).Challenger!.Version;

        var calls = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            invoke("set-alias", Route("model", "penguins", "alias", i % 2 == 0 ? "staging" : "champion"), $$"""{"version": "{{(i % 4 < 2 ? v1 : v2)}}"}""", null))));

        Assert.All(calls, c => Assert.True(c.Status is 200 or 409, $"{c.Status}: {c.Body}"));
        var wins = calls.Where((c, i) => c.Status == 200 && i % 2 == 1).ToArray();
        Assert.NotEmpty(wins);
        Assert.Contains(calls.Where((_, i) => i % 2 == 0), c => c.Status == 200);
        var details = (await invoke("model", Penguins, "", null)).Body;
        Assert.Contains(details.GetProperty("aliases").GetProperty("staging").GetString(), new[] { v1, v2 });
        Assert.Contains(details.GetProperty("aliases").GetProperty("champion").GetString(), new[] { v1, v2 });
        // Every promotion that answered 200 is in the history once, numbered without gaps after the first job's.
        var sequences = details.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("sequence").GetInt64()).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, wins.Length + 1).Select(i => (long)i), sequences);
        Assert.All(calls.Where(c => c.Status == 409), c => Assert.Contains("changed while this call", c.Body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_challenger_better_on_its_own_holdout_but_worse_on_the_evaluation_set_is_not_promoted()
    {
        var (bucket, _) = await SetUpAsync(spec => spec["evalSet"] = "models/penguins/eval.csv");
        await bucket.DropAsync("models/penguins/eval.csv", PenguinFiles.Original);
        var champion = await TrainAsync(bucket, "training/penguins/good.csv", PenguinFiles.Original);
        Assert.Equal(JobStates.Succeeded, champion.State);

        // Adelie and Chinstrap swapped throughout: it learns them swapped, so it is right on its own
        // (swapped) holdout, where the champion is wrong, and wrong on the true evaluation set.
        var status = await TrainAsync(bucket, "training/penguins/swapped.csv", PenguinFiles.SwappedLabels("Adelie", "Chinstrap"));
        output.WriteLine(status.Reason);

        Assert.Equal(JobStates.NotPromoted, status.State);
        Assert.True(status.Challenger!.Metrics["macroAccuracy"] > status.Champion!.Metrics["macroAccuracy"], "better on its own holdout");
        Assert.True(status.Challenger.Evaluation!["macroAccuracy"] < status.Champion.Evaluation!["macroAccuracy"], "worse on the evaluation set");
        Assert.Contains("not better", status.Reason);
        Assert.Contains("models/penguins/eval.csv", status.Reason);
        Assert.Equal(champion.Challenger!.Version, (await new ObjectModelStore(bucket.Store).ReadChampionAsync("penguins", CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Without_an_evaluation_set_the_same_challenger_would_have_been_promoted()
    {
        var (bucket, _) = await SetUpAsync();
        await TrainAsync(bucket, "training/penguins/good.csv", PenguinFiles.Original);

        var status = await TrainAsync(bucket, "training/penguins/swapped.csv", PenguinFiles.SwappedLabels("Adelie", "Chinstrap"));

        Assert.Equal(JobStates.Succeeded, status.State);
        Assert.Null(status.Challenger!.Evaluation);
    }

    [Fact]
    public async Task Manual_approval_waits_approve_promotes_and_a_stale_approve_is_refused()
    {
        var (bucket, invoke) = await SetUpAsync(spec => spec["approval"] = "manual");
        var waiting = await TrainAsync(bucket, "training/penguins/good.csv", PenguinFiles.Original);
        Assert.Equal(JobStates.AwaitingApproval, waiting.State);
        Assert.Equal(404, (await invoke("predict", Penguins, Record, null)).Status);

        var approved = await invoke("review", Route("model", "penguins", "job", waiting.JobId, "decision", "approve"), """{"reason": "looks right"}""", null);
        Assert.Equal(200, approved.Status);
        Assert.Equal(JobStates.Succeeded, approved.Body.GetProperty("state").GetString());
        Assert.Equal(waiting.Challenger!.Version, (await invoke("predict", Penguins, Record, null)).Body.GetProperty("version").GetString());
        Assert.Equal(409, (await invoke("review", Route("model", "penguins", "job", waiting.JobId, "decision", "approve"), "", null)).Status);

        // Two more jobs wait; the champion changes by hand before the second is approved.
        var pending = await TrainAsync(bucket, "training/penguins/again.csv", PenguinFiles.SwappedLabels("Adelie", "Chinstrap"));
        Assert.Equal(JobStates.AwaitingApproval, pending.State);
        var rejected = await TrainAsync(bucket, "training/penguins/third.csv", PenguinFiles.SwappedLabels("Gentoo", "Chinstrap"));
        Assert.Equal(200, (await invoke("review", Route("model", "penguins", "job", rejected.JobId, "decision", "reject"), "", null)).Status);
        Assert.Equal(JobStates.NotPromoted, (await bucket.StatusAsync(rejected.JobId)).State);
        Assert.Equal(200, (await invoke("set-alias", Route("model", "penguins", "alias", "champion"), $$"""{"version": "{{rejected.Challenger!.Version}}"}""", null)).Status);

        var stale = await invoke("review", Route("model", "penguins", "job", pending.JobId, "decision", "approve"), "", null);

        Assert.Equal(409, stale.Status);
        Assert.Contains("champion changed", stale.Body.GetProperty("detail").GetString());
        Assert.Equal(JobStates.NotPromoted, (await bucket.StatusAsync(pending.JobId)).State);
        Assert.Equal(rejected.Challenger.Version, (await new ObjectModelStore(bucket.Store).ReadChampionAsync("penguins", CancellationToken.None))!.Version);
        Assert.Equal(400, (await invoke("review", Route("model", "penguins", "job", pending.JobId, "decision", "maybe"), "", null)).Status);
    }
}

public sealed class LocalFolderRegistryTests(ITestOutputHelper output) : RegistryScenarios(output), IDisposable
{
    private readonly TempBucketFolders _buckets = new("mlf-registry-");

    public void Dispose() => _buckets.Dispose();

    protected override Task<IObjectStore> NewBucketAsync() => _buckets.NewAsync();
}

public sealed class AzuriteRegistryTests(AzuriteFixture azurite, ITestOutputHelper output) : RegistryScenarios(output), IClassFixture<AzuriteFixture>
{
    protected override Task<IObjectStore> NewBucketAsync() => azurite.NewBucketAsync();
}
