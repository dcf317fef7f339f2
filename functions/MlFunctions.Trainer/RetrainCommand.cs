using System.Diagnostics;
using MlFunctions.Core.Storage;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Trainer;

/// <summary>retrain jobs/MODEL/JOB.json [--bucket DIR]: runs one training job of a bucket folder by hand, as the platforms do on its event.</summary>
internal static class RetrainCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter console, TextWriter log)
    {
        if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "--bucket"))
        {
            await log.WriteLineAsync("usage: MlFunctions.Trainer retrain jobs/MODEL/JOB-ID.json [--bucket DIR]").ConfigureAwait(false);
            return 2;
        }
        var bucket = new LocalFolderStore(args.Length == 3 ? args[2] : Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
        var clock = Stopwatch.StartNew();
        var status = await new RetrainJob(bucket, line => log.WriteLine($"[{clock.Elapsed.TotalSeconds,5:F1}s] {line}")).RunAsync(args[0], CancellationToken.None).ConfigureAwait(false);
        if (status is null)
        {
            return 1;
        }
        await console.WriteLineAsync($"{status.JobId}: {status.State}: {status.Reason}").ConfigureAwait(false);
        return status.State == Core.Jobs.JobStates.Failed ? 1 : 0;
    }
}
