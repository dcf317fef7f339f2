using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Storage;
using MlFunctions.Testing.Servers;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Training.Tests.Pipeline;

/// <summary>A running job's status carries the worker's latest progress line, renewed with each heartbeat; a finished one has none.</summary>
public sealed class JobProgressTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlf-progress-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_status_of_a_running_job_shows_its_latest_progress_line()
    {
        var bucket = new LocalFolderStore(_folder);
        // A larger file, so that training outlasts a few 50 ms heartbeats.
        var penguins = await File.ReadAllLinesAsync(Testing.RepoPaths.Penguins);
        var data = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', [penguins[0], .. Enumerable.Repeat(penguins[1..], 60).SelectMany(r => r)]) + "\n");
        var manifest = await SampleBucket.QueuePenguinJobAsync(bucket, data);
        var (model, jobId) = BucketLayout.ParseJob(manifest)!.Value;
        var run = Task.Run(() => new RetrainJob(bucket, _ => { }, timings: new JobTimings(TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1))).RunAsync(manifest, CancellationToken.None));

        string? seen = null;
        while (!run.IsCompleted && seen is null)
        {
            var status = (await bucket.ReadJsonAsync(BucketLayout.JobStatus(model, jobId), CoreJsonContext.Web.JobStatus, CancellationToken.None))?.Value;
            seen = status is { State: JobStates.Running, Progress: { } progress } ? progress : null;
            await Task.Delay(20);
        }
        var final = await run;

        Assert.NotNull(seen);
        Assert.Matches("^(Read|Fitted|Trained|Wrote)", seen);
        Assert.Null(final!.Progress);
    }
}
