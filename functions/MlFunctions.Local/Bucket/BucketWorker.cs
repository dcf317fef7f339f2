using System.Threading.Channels;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Uploads;
using MlFunctions.Training.Retraining;

namespace MlFunctions.Local.Bucket;

/// <summary>
/// The local host's storage trigger: events from the watched bucket folder go to on-upload, and new
/// job manifests to the retrain job, in process. Each runs on its own queue, one at a time, so a long
/// training run does not hold up image and batch uploads.
/// </summary>
public sealed class BucketWorker(LocalFolderStore bucket, OnUploadFunction onUpload, ILogger<BucketWorker> log, OnnxTraining? onnx = null) : BackgroundService
{
    private readonly Channel<ObjectCreated> _uploads = Channel.CreateUnbounded<ObjectCreated>();
    private readonly Channel<string> _jobs = Channel.CreateUnbounded<string>();

    private BucketWatcher? _watcher;

    /// <summary>
    /// The watcher takes its first look at the folder here, while the host starts, not in ExecuteAsync,
    /// which runs in the background (.NET 10): a file dropped just after start must count as new.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _watcher = new BucketWatcher(bucket, [.. OnUploadFunction.Prefixes, BucketLayout.Jobs], Enqueue);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.LogInformation("Watching {Bucket}: drop files under {Prefixes}", bucket.Root, string.Join(", ", OnUploadFunction.Prefixes));
        // Jobs queued while the host was down: each is run unless its status says it is no longer queued.
        await foreach (var key in bucket.ListAsync(BucketLayout.Jobs, stoppingToken).ConfigureAwait(false))
        {
            if (BucketLayout.ParseJob(key) is not null)
            {
                _jobs.Writer.TryWrite(key);
            }
        }
        await Task.WhenAll(UploadLoopAsync(stoppingToken), RetrainLoopAsync(stoppingToken)).ConfigureAwait(false);
    }

    private void Enqueue(ObjectCreated upload)
    {
        if (BucketLayout.ParseJob(upload.Key) is not null)
        {
            _jobs.Writer.TryWrite(upload.Key);
        }
        else if (OnUploadFunction.Prefixes.Any(p => upload.Key.StartsWith(p, StringComparison.Ordinal)))
        {
            _uploads.Writer.TryWrite(upload);
        }
    }

    private async Task UploadLoopAsync(CancellationToken stoppingToken)
    {
        await foreach (var upload in _uploads.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var outcome = await onUpload.HandleAsync(upload, bucket, stoppingToken).ConfigureAwait(false);
                log.LogInformation("on-upload {Key}: {Result}: {Detail}", outcome.Key, outcome.Result, outcome.Detail);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "on-upload {Key} failed", upload.Key);
            }
        }
    }

    private async Task RetrainLoopAsync(CancellationToken stoppingToken)
    {
        var job = new RetrainJob(bucket, line => log.LogInformation("  {Line}", line), timings: JobTimings.FromSettings(Environment.GetEnvironmentVariable), onnx: onnx);
        await foreach (var key in _jobs.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // Training is CPU-bound and synchronous: keep it off the request threads' way.
                await Task.Run(() => job.RunAsync(key, stoppingToken), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "retrain {Key} failed", key);
            }
        }
    }
}
