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
    public static async Task<int> RunAsync(string[] args, TextWriter console, TextWriter log)
    {
        var rerun = args.Contains("--rerun");
        var rest = args.Where(a => a != "--rerun").ToArray();
        if (rest.Length is not (1 or 3) || (rest.Length == 3 && rest[1] != "--bucket"))
        {
            await log.WriteLineAsync("usage: MlFunctions.Trainer retrain jobs/MODEL/JOB-ID.job.json [--bucket DIR] [--rerun]").ConfigureAwait(false);
            return 2;
        }
        var bucket = new LocalFolderStore(rest.Length == 3 ? rest[2] : Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
        var clock = Stopwatch.StartNew();
        var job = new RetrainJob(bucket, line => log.WriteLine($"[{clock.Elapsed.TotalSeconds,5:F1}s] {line}"), timings: JobTimings.FromSettings(Environment.GetEnvironmentVariable));
        var status = rerun
            ? await job.RerunAsync(rest[0], CancellationToken.None).ConfigureAwait(false)
            : await job.RunAsync(rest[0], CancellationToken.None).ConfigureAwait(false);
        if (status is null)
        {
            return 1;
        }
        await console.WriteLineAsync($"{status.JobId}: {status.State}: {status.Reason}").ConfigureAwait(false);
        return status.State == Core.Jobs.JobStates.Failed ? 1 : 0;
    }
}
