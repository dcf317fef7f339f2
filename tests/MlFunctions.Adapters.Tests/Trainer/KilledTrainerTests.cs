using System.Diagnostics;
using System.Text;
using MlFunctions.Core.Jobs;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Testing;
using MlFunctions.Testing.Servers;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Adapters.Tests.Trainer;

/// <summary>
/// A fault: the Trainer process killed in the middle of a job. Nothing half-made is visible, the next
/// event for the job finds it stale and marks it failed, and it can be run again.
/// </summary>
public sealed class KilledTrainerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlf-killed-").FullName;

    private static string TrainerDll => typeof(MlFunctions.Trainer.RetrainRunner).Assembly.Location;

    [Fact]
    public async Task A_trainer_killed_mid_job_leaves_no_model_a_stale_job_that_is_detected_and_a_job_that_reruns()
    {
        var bucket = new LocalFolderStore(_root);
        // 200 copies of penguins.csv: about two seconds of training, time enough to kill it while it runs.
        var lines = File.ReadAllLines(RepoPaths.Penguins);
        var big = Encoding.UTF8.GetBytes(string.Join('\n', [lines[0], .. Enumerable.Repeat(lines[1..], 200).SelectMany(l => l)]) + "\n");
        var manifest = await SampleBucket.QueuePenguinJobAsync(bucket, big);
        _jobId = BucketLayout.ParseJob(manifest)!.Value.JobId;
        var statusKey = BucketLayout.JobStatus("penguins", _jobId);

        var start = new ProcessStartInfo("dotnet", [TrainerDll, "retrain", manifest, "--bucket", _root]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        using (var trainer = Process.Start(start)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await StateAsync(bucket, statusKey) != JobStates.Running)
            {
                Assert.True(DateTime.UtcNow < deadline && !trainer.HasExited, "the trainer never reached 'running'");
                await Task.Delay(10);
            }
            trainer.Kill(entireProcessTree: true);
            await trainer.WaitForExitAsync();
        }

        var models = new ObjectModelStore(bucket);
        Assert.Null(await models.ReadChampionAsync("penguins", CancellationToken.None));
        Assert.Empty(Directory.Exists(Path.Combine(_root, "models", "penguins"))
            ? Directory.GetFiles(Path.Combine(_root, "models", "penguins"), "bundle.json", SearchOption.AllDirectories) : []);
        Assert.Equal(JobStates.Running, await StateAsync(bucket, statusKey));

        // The event is delivered again after the job went quiet for longer than the stale limit.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var redelivered = new RetrainJob(bucket, _ => { }, timings: new JobTimings(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)));
        Assert.Null(await redelivered.RunAsync(manifest, CancellationToken.None));
        var stale = (await bucket.ReadJsonAsync(statusKey, CoreJsonContext.Web.JobStatus, CancellationToken.None))!.Value.Value;
        Assert.Equal(JobStates.Failed, stale.State);
        Assert.Contains("stale", stale.Reason, StringComparison.Ordinal);

        // With a heartbeat every 0.1 s, the status is renewed many times while it trains: the final write must follow the renewals.
        var rerun = await ProcessRunner.RunAsync("env", ["MLF_JOB_HEARTBEAT_SECONDS=0.1", "dotnet", TrainerDll, "retrain", manifest, "--bucket", _root, "--rerun"], TimeSpan.FromMinutes(2));
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Equal(JobStates.Succeeded, await StateAsync(bucket, statusKey));
        Assert.NotNull(await models.ReadChampionAsync("penguins", CancellationToken.None));
    }

    private static async Task<string?> StateAsync(IObjectStore bucket, string statusKey)
    {
        try
        {
            return (await bucket.ReadJsonAsync(statusKey, CoreJsonContext.Web.JobStatus, CancellationToken.None))?.Value.State;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // never half-written, but read defensively
        }
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        // The killed Trainer could not delete its copy of the training data.
        foreach (var file in _jobId is null ? [] : Directory.GetFiles(Path.GetTempPath(), $"mlf-{_jobId}-*.csv"))
        {
            File.Delete(file);
        }
    }

    private string? _jobId;
}
