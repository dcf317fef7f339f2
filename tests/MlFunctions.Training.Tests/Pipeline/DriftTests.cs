using System.Globalization;
using System.Text;
using System.Text.Json;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Monitoring;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using Xunit.Abstractions;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>
/// Predict captures what it is sent (the spec asks for every record), and the drift job compares it with
/// the champion's training profile: shifted traffic (heavier birds, one island) flags exactly those
/// columns; traffic like the training data flags nothing; a full capture queue drops lines, never answers.
/// </summary>
public sealed class DriftTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempBucketFolders _buckets = new("mlf-drift-");

    public void Dispose() => _buckets.Dispose();

    private static readonly string[] Columns = File.ReadLines(RepoPaths.Penguins).First().Split(',');

    /// <summary>Every penguin as a JSON record (without its species), changed by <paramref name="change"/>.</summary>
    private static List<string> Records(Func<Dictionary<string, object?>, Dictionary<string, object?>> change) => [.. File.ReadLines(RepoPaths.Penguins).Skip(1).Select(line =>
    {
        var cells = line.Split(',');
        var record = Columns.Select((c, i) => (c, i)).Where(p => p.c != "Species").ToDictionary(p => p.c, p => cells[p.i] is "" or "NA" or "." ? null
            : double.TryParse(cells[p.i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? (object)n : cells[p.i]);
        return JsonSerializer.Serialize(change(record));
    })];

    private async Task<(FunctionCatalog Catalog, TrafficCapture Capture, IObjectStore Bucket)> SetUpAsync(int capacity = 10_000)
    {
        var bucket = await _buckets.NewAsync();
        await bucket.WriteAsync(BucketLayout.ModelSpec("penguins"), """{"task": "multiclass", "label": "Species", "capture": {"rate": 1}}"""u8.ToArray(), "application/json", WriteCondition.Always, CancellationToken.None);
        await ModelPublisher.TrainAsync(RepoPaths.Penguins, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species" }, "penguins", bucket, promote: true, output.WriteLine, CancellationToken.None);
        var capture = new TrafficCapture(bucket, "test", capacity);
        var catalog = FunctionCatalog.Create(FunctionLimits.Default, new ModelCache(new ObjectModelStore(bucket), TimeSpan.FromSeconds(1)), bucket, capture);
        return (catalog, capture, bucket);
    }

    private static async Task<JsonElement> InvokeAsync(FunctionCatalog catalog, string function, string body = "")
    {
        var descriptor = catalog.Find(function)!;
        var response = await new FunctionPipeline(catalog).InvokeAsync(descriptor, new FunctionRequest
        {
            Method = descriptor.Method, Path = descriptor.Route, RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", "penguins")]), Body = Encoding.UTF8.GetBytes(body),
        }, CancellationToken.None);
        Assert.True(response.Status == 200, Encoding.UTF8.GetString(response.Body.Span));
        return JsonDocument.Parse(response.Body).RootElement.Clone();
    }

    private async Task<DriftReport> DriftAfterAsync(List<string> records)
    {
        var (catalog, capture, _) = await SetUpAsync();
        foreach (var batch in records.Chunk(50))
        {
            await InvokeAsync(catalog, "predict", $$"""{"records": [{{string.Join(',', batch)}}]}""");
        }
        await capture.DisposeAsync(); // the host stopping: what is queued is written
        Assert.Equal(records.Count, capture.Written);
        var report = (await InvokeAsync(catalog, "drift")).Deserialize(Core.Json.CoreJsonContext.Web.DriftReport)!;
        foreach (var column in report.Columns)
        {
            output.WriteLine($"{column.Name}: psi {column.Psi:F3}, ks {column.Ks:F3}, p {column.PValue:G3}, missing {column.MissingRate:P1} (trained {column.TrainingMissingRate:P1}){(column.Drifted ? "  DRIFTED" : "")}");
        }
        Assert.Equal(records.Count, report.Records);
        return report;
    }

    [Fact]
    public async Task Heavier_birds_from_one_island_are_flagged_in_those_columns_only()
    {
        var report = await DriftAfterAsync(Records(r =>
        {
            r["Island"] = "Biscoe";
            r["Body Mass (g)"] = r["Body Mass (g)"] is double mass ? mass + 1500 : null;
            return r;
        }));

        Assert.Equal(["Body Mass (g)", "Island"], report.Drifted.Order());
    }

    [Fact]
    public async Task An_island_training_never_saw_is_drift_of_its_own_not_counted_as_a_known_one()
    {
        var report = await DriftAfterAsync(Records(r => { r["Island"] = r["Island"] as string == "Dream" ? "Atlantis" : r["Island"]; return r; }));

        Assert.Equal(["Island"], report.Drifted);
    }

    [Fact]
    public async Task Traffic_like_the_training_data_flags_nothing()
    {
        var report = await DriftAfterAsync(Records(r => r));

        Assert.Empty(report.Drifted);
        Assert.Equal(6, report.Columns.Length);
    }

    [Fact]
    public async Task New_capture_files_start_drift_once_per_interval_alert_the_model_and_queue_retraining()
    {
        var (catalog, capture, bucket) = await SetUpAsync();
        await bucket.WriteAsync(BucketLayout.ModelSpec("penguins"), """{"task": "multiclass", "label": "Species", "capture": {"rate": 1}, "drift": {"minutes": 30, "retrain": true}}"""u8.ToArray(), "application/json", WriteCondition.Always, CancellationToken.None);
        await bucket.WriteAsync("training/penguins/2026-11.csv", await File.ReadAllBytesAsync(RepoPaths.Penguins), "text/csv", WriteCondition.Always, CancellationToken.None);
        var shifted = Records(r => { r["Body Mass (g)"] = r["Body Mass (g)"] is double mass ? mass + 1500 : null; return r; });
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the cache re-reads the spec within a second
        foreach (var batch in shifted.Chunk(50))
        {
            await InvokeAsync(catalog, "predict", $$"""{"records": [{{string.Join(',', batch)}}]}""");
        }
        await capture.DisposeAsync();
        var files = new List<string>();
        await foreach (var key in bucket.ListAsync("capture/penguins/", CancellationToken.None))
        {
            files.Add(key);
        }
        Assert.NotEmpty(files);
        var onUpload = new Core.Uploads.OnUploadFunction(FunctionLimits.Default, new ModelCache(new ObjectModelStore(bucket), TimeSpan.Zero), []);

        // The platform delivers each capture file's event: the first runs drift, the rest find it fresh.
        var outcomes = new List<Core.Uploads.UploadOutcome>();
        foreach (var key in files.Concat(files))
        {
            outcomes.Add(await onUpload.HandleAsync(new ObjectCreated(bucket.Bucket, key, 1, null), bucket, CancellationToken.None));
        }

        output.WriteLine(string.Join('\n', outcomes.Select(o => $"{o.Key}: {o.Result}: {o.Detail}")));
        Assert.Single(outcomes, o => o.Result == Core.Uploads.UploadResults.Processed);
        Assert.Contains("drifted: Body Mass (g)", outcomes[0].Detail);
        Assert.All(outcomes.Skip(1), o => Assert.Contains("drift ran at", o.Detail));
        var details = await InvokeAsync(catalog, "model");
        var drift = details.GetProperty("drift");
        Assert.True(drift.GetProperty("alert").GetBoolean());
        Assert.Equal(["Body Mass (g)"], drift.GetProperty("drifted").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("retraining on training/penguins/2026-11.csv: queued", drift.GetProperty("retraining").GetString());
        var jobs = new List<string>();
        await foreach (var key in bucket.ListAsync("jobs/penguins/", CancellationToken.None))
        {
            jobs.Add(key);
        }
        Assert.Single(jobs, k => k.EndsWith(BucketLayout.JobSuffix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_capture_queue_drops_lines_and_never_an_answer()
    {
        var (catalog, capture, _) = await SetUpAsync(capacity: 5);
        var records = Records(r => r);

        var answered = 0;
        foreach (var batch in records.Chunk(100))
        {
            answered += (await InvokeAsync(catalog, "predict", $$"""{"records": [{{string.Join(',', batch)}}]}""")).GetProperty("predictions").GetArrayLength();
        }
        await capture.DisposeAsync();

        Assert.Equal(records.Count, answered);
        Assert.True(capture.Dropped > 0, "a queue of 5 took every line");
        Assert.Equal(records.Count, capture.Written + capture.Dropped);
    }
}
