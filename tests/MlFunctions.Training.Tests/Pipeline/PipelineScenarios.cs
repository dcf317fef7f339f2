using System.Text;
using System.Text.Json;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;
using SkiaSharp;
using Xunit.Abstractions;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>
/// The storage issue's scenarios, run against every store: the local folder, and real s3rver and
/// azurite in the subclasses. Each test gets an empty bucket.
/// </summary>
public abstract class PipelineScenarios(ITestOutputHelper output)
{
    /// <summary>A new, empty bucket.</summary>
    protected abstract Task<IObjectStore> NewBucketAsync();

    private async Task<PipelineBucket> BucketAsync() => await PipelineBucket.CreateAsync(await NewBucketAsync(), output.WriteLine);

    private static string JobId(UploadOutcome outcome) => outcome.Written.Select(BucketLayout.ParseJob).OfType<(string, string)>().Single().Item2;

    [Fact]
    public async Task Training_data_delivered_twice_makes_one_job_one_version_and_a_champion()
    {
        var bucket = await BucketAsync();
        var upload = await bucket.DropAsync("training/penguins/2026-11.csv", PenguinFiles.Original);

        var first = await bucket.DeliverAsync(upload);
        var second = await bucket.DeliverAsync(upload);
        Assert.Equal(UploadResults.Queued, first.Result);
        Assert.Equal(UploadResults.Duplicate, second.Result);
        var jobs = await bucket.JobsAsync();
        Assert.Single(jobs);

        // The jobs/ event is delivered twice as well: the second finds the job taken.
        var status = await bucket.RetrainAsync(jobs[0]);
        Assert.Null(await bucket.RetrainAsync(jobs[0]));

        Assert.Equal(JobStates.Succeeded, status!.State);
        Assert.Single(await bucket.VersionsAsync());
        var champion = await new ObjectModelStore(bucket.Store).ReadChampionAsync(PipelineBucket.Model, CancellationToken.None);
        Assert.Equal(status.Challenger!.Version, champion!.Version);
        Assert.True(status.Challenger.Metrics["macroAccuracy"] >= 0.95, $"macro accuracy {status.Challenger.Metrics["macroAccuracy"]}");
        Assert.Equal([JobStates.Queued, JobStates.Running, JobStates.Succeeded], status.History.Select(h => h.State));
        Assert.Contains("accepted", (await bucket.StatusAsync(JobId(first))).Report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parquet")]
    [InlineData("jsonl")]
    public async Task A_parquet_or_json_lines_training_file_is_validated_trained_and_promoted_as_a_csv_is(string extension)
    {
        var bucket = await BucketAsync();
        var data = extension == "parquet" ? PenguinFiles.Parquet : PenguinFiles.JsonLines();

        var queued = await bucket.DeliverAsync(await bucket.DropAsync($"training/penguins/2026-11.{extension}", data));

        Assert.Equal(UploadResults.Queued, queued.Result);
        var report = (await bucket.StatusAsync(JobId(queued))).Report;
        output.WriteLine(report);
        Assert.Contains("rows: 344 (0 without", report, StringComparison.Ordinal);
        Assert.Contains("Sex text (11 missing)", report, StringComparison.Ordinal);
        Assert.Contains("label 'Species': 3 classes: Adelie 152, Gentoo 124, Chinstrap 68", report, StringComparison.Ordinal);
        Assert.Contains("Body Mass (g) numeric (2 missing)", report, StringComparison.Ordinal);
        var status = await bucket.RetrainAsync((await bucket.JobsAsync()).Single());
        Assert.Equal(JobStates.Succeeded, status!.State);
        Assert.True(status.Challenger!.Metrics["macroAccuracy"] >= 0.95, $"macro accuracy {status.Challenger.Metrics["macroAccuracy"]}");
    }

    [Fact]
    public async Task A_parquet_file_that_is_not_parquet_is_rejected_with_the_reason_and_no_job()
    {
        var bucket = await BucketAsync();
        var parquet = PenguinFiles.Parquet;

        var truncated = await bucket.DeliverAsync(await bucket.DropAsync("training/penguins/cut.parquet", parquet[..(parquet.Length - 100)]));
        var csv = await bucket.DeliverAsync(await bucket.DropAsync("training/penguins/renamed.parquet", PenguinFiles.Original));

        Assert.Equal(UploadResults.Rejected, truncated.Result);
        Assert.Equal(UploadResults.Rejected, csv.Result);
        Assert.StartsWith("The Parquet file cannot be read", csv.Detail, StringComparison.Ordinal);
        Assert.Empty(await bucket.JobsAsync());
    }

    [Fact]
    public async Task A_job_whose_training_object_changed_after_validation_fails_and_trains_nothing()
    {
        var bucket = await BucketAsync();
        var queued = await bucket.DeliverAsync(await bucket.DropAsync("training/penguins/2026-12.csv", PenguinFiles.Original));
        // Overwritten before the job ran: its new content has its own event and job.
        await bucket.DropAsync("training/penguins/2026-12.csv", PenguinFiles.ShuffledTrainingLabels());

        var status = await bucket.RetrainAsync(BucketLayout.Job(PipelineBucket.Model, JobId(queued)));

        Assert.Equal(JobStates.Failed, status!.State);
        Assert.Equal("urn:mlfunctions:problem:training-data-changed", status.Problem);
        Assert.Contains("changed after it was validated", status.Reason, StringComparison.Ordinal);
        Assert.Empty(await bucket.VersionsAsync());
    }

    [Fact]
    public async Task A_worse_dataset_is_not_promoted_and_both_models_metrics_are_recorded()
    {
        var bucket = await BucketAsync();
        var good = await bucket.DeliverAsync(await bucket.DropAsync("training/penguins/good.csv", PenguinFiles.Original));
        Assert.Equal(JobStates.Succeeded, (await bucket.RetrainAsync(BucketLayout.Job(PipelineBucket.Model, JobId(good))))!.State);

        var worse = await bucket.DeliverAsync(await bucket.DropAsync("training/penguins/shuffled.csv", PenguinFiles.ShuffledTrainingLabels()));
        var status = (await bucket.RetrainAsync(BucketLayout.Job(PipelineBucket.Model, JobId(worse))))!;
        output.WriteLine(status.Reason);

        Assert.Equal(JobStates.NotPromoted, status.State);
        Assert.Equal("macroAccuracy", status.Metric);
        Assert.True(status.Champion!.Metrics["macroAccuracy"] > status.Challenger!.Metrics["macroAccuracy"] + 0.2);
        Assert.Contains("not better", status.Reason, StringComparison.Ordinal);
        var champion = await new ObjectModelStore(bucket.Store).ReadChampionAsync(PipelineBucket.Model, CancellationToken.None);
        Assert.Equal(status.Champion.Version, champion!.Version);
        Assert.Equal(2, (await bucket.VersionsAsync()).Count); // kept, not served
    }

    [Fact]
    public async Task A_csv_without_the_label_column_is_rejected_with_the_reason_and_no_job()
    {
        var bucket = await BucketAsync();
        var upload = await bucket.DropAsync("training/penguins/no-label.csv", PenguinFiles.WithoutLabel());

        var outcome = await bucket.DeliverAsync(upload);
        Assert.Equal(UploadResults.Duplicate, (await bucket.DeliverAsync(upload)).Result);

        Assert.Equal(UploadResults.Rejected, outcome.Result);
        Assert.Empty(await bucket.JobsAsync());
        var status = (await bucket.Store.ReadJsonAsync(outcome.Written.Single(), CoreJsonContext.Web.JobStatus, CancellationToken.None))!.Value.Value;
        Assert.Equal(JobStates.Rejected, status.State);
        Assert.Contains("no label column 'Species'", status.Reason, StringComparison.Ordinal);
        Assert.Contains("Island", status.Report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_retrains_racing_for_the_champion_one_wins_and_the_other_records_that_it_lost()
    {
        var bucket = await BucketAsync();
        var lines = PenguinFiles.Lines;
        var a = await bucket.DeliverAsync(await bucket.DropAsync("training/penguins/a.csv", PenguinFiles.Original));
        var b = await bucket.DeliverAsync(await bucket.DropAsync("training/penguins/b.csv", Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(lines.Length - 1)) + "\n")));

        var statuses = await Task.WhenAll(
            Task.Run(() => bucket.RetrainAsync(BucketLayout.Job(PipelineBucket.Model, JobId(a)))),
            Task.Run(() => bucket.RetrainAsync(BucketLayout.Job(PipelineBucket.Model, JobId(b)))));

        var winner = Assert.Single(statuses, s => s!.State == JobStates.Succeeded);
        var loser = Assert.Single(statuses, s => s!.State == JobStates.NotPromoted);
        output.WriteLine(loser!.Reason);
        Assert.Contains("lost the race", loser.Reason, StringComparison.Ordinal);
        var pointer = await bucket.Store.ReadAsync(BucketLayout.Champion(PipelineBucket.Model), CancellationToken.None);
        var champion = JsonSerializer.Deserialize(pointer!.Content, CoreJsonContext.Web.ChampionPointer)!;
        Assert.Equal(winner!.Challenger!.Version, champion.Version);
        Assert.Equal(2, (await bucket.VersionsAsync()).Count);
    }

    [Fact]
    public async Task An_image_yields_its_variants_and_a_corrupt_one_a_failed_status()
    {
        var bucket = await BucketAsync();
        var photo = await File.ReadAllBytesAsync(RepoPaths.ExifImage("Landscape_1"));

        var outcome = await bucket.DeliverAsync(await bucket.DropAsync("incoming/images/holiday/beach.jpg", photo));
        var broken = await bucket.DeliverAsync(await bucket.DropAsync("incoming/images/broken.jpg", photo[..(photo.Length / 3)]));

        Assert.Equal(UploadResults.Processed, outcome.Result);
        var thumb = await bucket.Store.ReadAsync("processed/images/holiday/beach.jpg/thumb.jpg", CancellationToken.None);
        using (var image = SKBitmap.Decode(thumb!.Content))
        {
            Assert.Equal((128, 128), (image.Width, image.Height));
        }
        Assert.NotNull(await bucket.Store.ReadAsync("processed/images/holiday/beach.jpg/medium.jpg", CancellationToken.None));

        Assert.Equal(UploadResults.Rejected, broken.Result);
        var status = (await bucket.Store.ReadJsonAsync("processed/images/broken.jpg/status.json", CoreJsonContext.Web.ImageStatus, CancellationToken.None))!.Value.Value;
        Assert.Equal("failed", status.State);
        Assert.Equal("urn:mlfunctions:problem:image-truncated", status.Problem!.Type);
    }

    [Fact]
    public async Task A_batch_csv_yields_one_prediction_line_per_row_in_input_order()
    {
        var bucket = await BucketAsync();
        var noModel = await bucket.DeliverAsync(await bucket.DropAsync("batch/penguins/early.csv", PenguinFiles.Batch().Csv));
        Assert.Equal(UploadResults.Rejected, noModel.Result);
        await ModelPublisher.TrainAsync(RepoPaths.Penguins, new Core.Models.ModelSpec { Task = "multiclass", Label = "Species" }, PipelineBucket.Model, bucket.Store, promote: true, output.WriteLine, CancellationToken.None);
        var (csv, rows, brokenRow) = PenguinFiles.Batch();

        var outcome = await bucket.DeliverAsync(await bucket.DropAsync("batch/penguins/week-47.csv", csv));

        Assert.Equal(UploadResults.Processed, outcome.Result);
        var predictions = await bucket.Store.ReadAsync("predictions/penguins/week-47.jsonl", CancellationToken.None);
        var lines = Encoding.UTF8.GetString(predictions!.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(rows, lines.Length);
        Assert.Equal(Enumerable.Range(1, rows), lines.Select(l => l.GetProperty("row").GetInt32()));
        Assert.Equal("urn:mlfunctions:problem:invalid-record", lines[brokenRow - 1].GetProperty("problem").GetProperty("type").GetString());
        var labels = lines.Where((_, i) => i != brokenRow - 1).Select(l => l.GetProperty("prediction").GetProperty("label").GetString()).ToArray();
        Assert.All(labels, label => Assert.Contains(label, new[] { "Adelie", "Chinstrap", "Gentoo" }));
        Assert.True(labels.Count(l => l == "Adelie") >= 35, "the first 40 rows of penguins.csv are Adelie penguins");
    }

    [Fact]
    public async Task A_json_lines_batch_scores_as_its_csv_does_and_each_bad_line_is_its_own_problem()
    {
        var bucket = await BucketAsync();
        await ModelPublisher.TrainAsync(RepoPaths.Penguins, new Core.Models.ModelSpec { Task = "multiclass", Label = "Species" }, PipelineBucket.Model, bucket.Store, promote: true, output.WriteLine, CancellationToken.None);
        var (jsonl, rows, bad) = PenguinFiles.JsonLinesBatch();
        await bucket.DeliverAsync(await bucket.DropAsync("batch/penguins/as-csv.csv", PenguinFiles.Batch().Csv));

        var outcome = await bucket.DeliverAsync(await bucket.DropAsync("batch/penguins/week-48.jsonl", jsonl));

        Assert.Equal(UploadResults.Processed, outcome.Result);
        JsonElement[] Lines(StoredObject stored) => [.. Encoding.UTF8.GetString(stored.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        var lines = Lines((await bucket.Store.ReadAsync("predictions/penguins/week-48.jsonl", CancellationToken.None))!);
        var fromCsv = Lines((await bucket.Store.ReadAsync("predictions/penguins/as-csv.jsonl", CancellationToken.None))!);
        Assert.Equal(rows, lines.Length);
        Assert.Equal(Enumerable.Range(1, rows), lines.Select(l => l.GetProperty("row").GetInt32()));
        Assert.All(bad, row => Assert.True(lines[row - 1].TryGetProperty("problem", out _), $"line {row} should be a problem"));
        // The good lines, in order, are the CSV's rows: the same predictions, to the digit.
        var good = lines.Where((_, i) => !bad.Contains(i + 1)).Select(l => l.TryGetProperty("prediction", out var p) ? p.ToString() : l.GetProperty("problem").GetProperty("type").ToString());
        var csv = fromCsv.Select(l => l.TryGetProperty("prediction", out var p) ? p.ToString() : l.GetProperty("problem").GetProperty("type").ToString());
        Assert.Equal(csv, good);
    }

    [Fact]
    public async Task A_parquet_batch_scores_as_its_csv_does()
    {
        var bucket = await BucketAsync();
        await ModelPublisher.TrainAsync(RepoPaths.Penguins, new Core.Models.ModelSpec { Task = "multiclass", Label = "Species" }, PipelineBucket.Model, bucket.Store, promote: true, output.WriteLine, CancellationToken.None);
        await bucket.DeliverAsync(await bucket.DropAsync("batch/penguins/all.csv", PenguinFiles.Original));

        var outcome = await bucket.DeliverAsync(await bucket.DropAsync("batch/penguins/all-of-them.parquet", PenguinFiles.Parquet));

        Assert.Equal(UploadResults.Processed, outcome.Result);
        string[] Lines(string key) => Encoding.UTF8.GetString(bucket.Store.ReadAsync(key, CancellationToken.None).GetAwaiter().GetResult()!.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var fromParquet = Lines("predictions/penguins/all-of-them.jsonl");
        Assert.Equal(344, fromParquet.Length);
        Assert.Equal(Lines("predictions/penguins/all.jsonl"), fromParquet);
    }
}

public sealed class LocalFolderPipelineTests(ITestOutputHelper output) : PipelineScenarios(output), IDisposable
{
    private readonly TempBucketFolders _buckets = new("mlf-pipeline-");

    public void Dispose() => _buckets.Dispose();

    protected override Task<IObjectStore> NewBucketAsync() => _buckets.NewAsync();
}

public sealed class S3rverPipelineTests(S3rverFixture s3, ITestOutputHelper output) : PipelineScenarios(output), IClassFixture<S3rverFixture>
{
    protected override Task<IObjectStore> NewBucketAsync() => s3.NewBucketAsync();
}

public sealed class AzuritePipelineTests(AzuriteFixture azurite, ITestOutputHelper output) : PipelineScenarios(output), IClassFixture<AzuriteFixture>
{
    protected override Task<IObjectStore> NewBucketAsync() => azurite.NewBucketAsync();
}

public sealed class GcsPipelineTests(GcsFixture gcs, ITestOutputHelper output) : PipelineScenarios(output), IClassFixture<GcsFixture>
{
    protected override Task<IObjectStore> NewBucketAsync() => gcs.NewBucketAsync();
}
