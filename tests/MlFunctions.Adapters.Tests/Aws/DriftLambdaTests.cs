using System.Text.Json;
using MlFunctions.Core.Models;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>
/// The drift function through the real AOT bootstrap: EventBridge's hourly scheduled event (as
/// template.yaml sends it) runs drift for every model that captures traffic; an API Gateway request
/// runs it for one.
/// </summary>
public sealed class DriftLambdaTests : IAsyncLifetime
{
    private readonly string _bucket = Directory.CreateTempSubdirectory("mlf-drift-lambda-").FullName;
    private LambdaRuntimeEmulator _emulator = null!;
    private BootstrapProcess _bootstrap = null!;

    public async Task InitializeAsync()
    {
        var bucket = new LocalFolderStore(_bucket);
        await bucket.WriteAsync(BucketLayout.ModelSpec("penguins"), """{"task": "multiclass", "label": "Species", "capture": {"rate": 1}}"""u8.ToArray(), "application/json", WriteCondition.Always, CancellationToken.None);
        await MlFunctions.Training.ModelPublisher.TrainAsync(RepoPaths.Penguins, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species" }, "penguins", bucket, promote: true, _ => { }, CancellationToken.None);
        // A day of captured traffic, as predict writes it: every penguin once.
        var lines = File.ReadLines(RepoPaths.Penguins).Skip(1).Select(l => l.Split(',')).Select(c =>
            $$$"""{"at":"{{{DateTimeOffset.UtcNow:O}}}","version":"v","record":{"Island":"{{{c[1]}}}","Body Mass (g)":{{{(c[5].Length == 0 ? "null" : c[5])}}}}}""");
        await bucket.WriteAsync($"capture/penguins/{DateTime.UtcNow:yyyy-MM-dd}/test-000001.jsonl", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), "application/x-ndjson", WriteCondition.Always, CancellationToken.None);
        _emulator = await LambdaRuntimeEmulator.StartAsync();
        _bootstrap = await BootstrapProcess.StartAsync(_emulator, "drift", new Dictionary<string, string> { ["MLF_STORAGE"] = "folder", ["MLF_BUCKET"] = _bucket });
    }

    [Fact]
    public async Task The_scheduled_event_runs_drift_for_every_capturing_model_and_a_request_for_one()
    {
        var scheduled = await _emulator.InvokeAsync("""{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-12-03T22:00:00Z","region":"eu-west-1","resources":["arn:aws:events:eu-west-1:123456789012:rule/hourly"],"detail":{}}""");

        Assert.False(scheduled.IsError, scheduled.Body);
        var report = JsonDocument.Parse(scheduled.Body).RootElement.EnumerateArray().Single();
        Assert.Equal(("penguins", 344), (report.GetProperty("model").GetString(), report.GetProperty("records").GetInt32()));
        // The traffic sent Island and Body Mass as trained; the other columns never came (all missing): those have drifted.
        Assert.Equal(["Beak Depth (mm)", "Beak Length (mm)", "Flipper Length (mm)", "Sex"], report.GetProperty("drifted").EnumerateArray().Select(d => d.GetString()).Order());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_bucket, "monitoring", "penguins")));

        var request = await _emulator.InvokeAsync(JsonSerializer.Serialize(new
        {
            version = "2.0", routeKey = "GET /api/drift/{model}", rawPath = "/api/drift/penguins", rawQueryString = "days=1",
            headers = new Dictionary<string, string>(), pathParameters = new Dictionary<string, string> { ["model"] = "penguins" },
            requestContext = new { http = new { method = "GET", path = "/api/drift/penguins" }, requestId = "r-2" }, isBase64Encoded = false,
        }));
        Assert.Equal(200, JsonDocument.Parse(request.Body).RootElement.GetProperty("statusCode").GetInt32());
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _emulator.DisposeAsync();
        Directory.Delete(_bucket, recursive: true);
    }
}
