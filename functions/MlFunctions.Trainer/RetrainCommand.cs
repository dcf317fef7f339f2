using System.Diagnostics;
using MlFunctions.Core.Storage;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Trainer;

/// <summary>
/// retrain jobs/MODEL/JOB.job.json [--bucket DIR] [--rerun]: runs one training job of a bucket folder by
/// hand, as the platforms do on its event; --rerun queues a failed (or stale) job again first.
/// </summary>
internal static class RetrainCommand
{
    public static async Task<int> RunAsync(string manifest, string? folder, bool rerun, TextWriter console, TextWriter log)
    {
        if (Core.Storage.BucketLayout.ParseJob(manifest) is null)
        {
            await log.WriteLineAsync($"retrain: '{manifest}' is not a job manifest's key: jobs/MODEL/JOB-ID.job.json, relative to the bucket.").ConfigureAwait(false);
            return TrainerCommands.UsageError;
        }
        var bucket = new LocalFolderStore(folder ?? Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
        var clock = Stopwatch.StartNew();
        var job = new RetrainJob(bucket, line => log.WriteLine($"[{clock.Elapsed.TotalSeconds,5:F1}s] {line}"), timings: JobTimings.FromSettings(Environment.GetEnvironmentVariable),
            onnx: RetrainRunner.Onnx(bucket));
        var status = rerun
            ? await job.RerunAsync(manifest, CancellationToken.None).ConfigureAwait(false)
            : await job.RunAsync(manifest, CancellationToken.None).ConfigureAwait(false);
        if (status is null)
        {
            return 1;
        }
        await console.WriteLineAsync($"{status.JobId}: {status.State}: {status.Reason}").ConfigureAwait(false);
        return status.State == Core.Jobs.JobStates.Failed ? 1 : 0;
    }
}
