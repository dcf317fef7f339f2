using System.Net;
using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>The local host's bucket folder: files dropped into it start the same flows as a cloud bucket's events.</summary>
public sealed class BucketFolderTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private async Task<JsonElement[]> JobsAsync()
    {
        using var response = await host.Client.GetAsync("/api/jobs/penguins");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
    }

    [Fact]
    public async Task A_training_csv_copied_into_the_folder_is_validated_trained_and_listed_by_the_jobs_function()
    {
        var target = Path.Combine(host.Bucket, "training", "penguins", "copied.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(RepoPaths.Penguins, target);

        var job = (await Eventually.Async(async () =>
            (await JobsAsync()).Cast<JsonElement?>().FirstOrDefault(j => j!.Value.GetProperty("source").GetString() == "training/penguins/copied.csv"
                && j.Value.GetProperty("state").GetString() is "succeeded" or "not promoted" or "failed"), "the job to finish", Patience))!.Value;

        // The sample model was trained on the same rows with the same seed: the new one is no better.
        Assert.Equal("not promoted", job.GetProperty("state").GetString());
        Assert.Contains("not better", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["queued", "running", "not promoted"], job.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("state").GetString()));
        Assert.True(job.GetProperty("champion").GetProperty("metrics").GetProperty("macroAccuracy").GetDouble() >= 0.95);
    }

    [Fact]
    public async Task A_batch_csv_copied_into_the_folder_gets_a_predictions_file()
    {
        var rows = File.ReadLines(RepoPaths.Penguins).Take(11).Select(line => line.Split(',', 2)[1]).ToArray();
        var source = Path.Combine(host.Bucket, "batch", "penguins", "ten.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllLinesAsync(source, rows);

        var predictions = Path.Combine(host.Bucket, "predictions", "penguins", "ten.jsonl");
        var lines = await Eventually.Async(() => Task.FromResult(File.Exists(predictions) ? File.ReadAllLines(predictions) : null), predictions, Patience);

        Assert.Equal(10, lines.Length);
        Assert.All(lines, line => Assert.Equal("Adelie", JsonDocument.Parse(line).RootElement.GetProperty("prediction").GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Jobs_of_a_model_name_that_could_escape_the_bucket_are_refused()
    {
        using var response = await host.Client.GetAsync("/api/jobs/..%2F..%2Fetc");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
