using System.IO.Pipelines;

namespace MlFunctions.Core.Storage;

/// <summary>Writes an object while it is produced: the producer writes into a pipe that the store uploads from, so the object is never whole in memory or on disk.</summary>
public static class ObjectStoreStreams
{
    // The pipe pauses the producer when this much is waiting for the upload, which bounds the memory.
    private const long PauseBytes = 4 * 1024 * 1024;

    /// <summary>Runs <paramref name="produce"/> into the object at <paramref name="key"/>; a producer's failure fails the write and leaves no object.</summary>
    public static async Task<string?> WriteFromAsync(this IObjectStore store, string key, string contentType, WriteCondition condition,
        Func<Stream, CancellationToken, Task> produce, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PauseBytes, resumeWriterThreshold: PauseBytes / 2, useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var upload = UploadAsync(store, key, pipe.Reader, contentType, condition, stop);
        try
        {
            // Left open: disposing the stream would complete the pipe as if the content had ended well,
            // and a producer that then fails would leave a whole-looking object behind.
            await using (var output = pipe.Writer.AsStream(leaveOpen: true))
            {
                await produce(output, stop.Token).ConfigureAwait(false);
            }
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The upload sees the failure as its content failing, and abandons the object.
            await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(upload).ConfigureAwait(false);
            if (upload.IsFaulted && e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await upload.ConfigureAwait(false); // the upload failed first, and stopped the producer: its failure is the cause
            }
            throw;
        }
        return await upload.ConfigureAwait(false);
    }

    private static async Task<string?> UploadAsync(IObjectStore store, string key, PipeReader reader, string contentType, WriteCondition condition, CancellationTokenSource stop)
    {
        await Task.Yield(); // the producer starts at once; the upload waits for its first bytes
        await using var input = reader.AsStream();
        try
        {
            return await store.WriteAsync(key, input, contentType, condition, stop.Token).ConfigureAwait(false);
        }
        catch
        {
            // A producer blocked on a full pipe would otherwise go on into a pipe that nobody reads.
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
