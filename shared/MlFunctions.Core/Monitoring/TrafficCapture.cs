using System.Globalization;
using System.Threading.Channels;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Monitoring;

/// <summary>
/// Predict's data capture, off the response path: a request only offers its lines to a bounded queue
/// (never waiting: when the queue is full the line is dropped and counted), and one writer batches them
/// per model into capture/&lt;model&gt;/&lt;yyyy-mm-dd&gt;/&lt;instance&gt;-&lt;n&gt;.jsonl, when a batch fills, when the
/// instance has been idle for a moment, when a line has waited <see cref="MaxAge"/>, and when it stops
/// (<see cref="DisposeAsync"/>). A write that fails is counted, never thrown at a request; a line over
/// <see cref="MaxLineBytes"/> is dropped and counted, so the queue's memory is bounded.
/// </summary>
public sealed class TrafficCapture : IAsyncDisposable
{
    public const string Prefix = "capture/";

    /// <summary>The longest line kept (a record with a huge text field is dropped and counted): the queue holds at most capacity x this.</summary>
    public const int MaxLineBytes = 16 * 1024;

    /// <summary>The longest a line waits for its batch: a quiet model on a busy instance is written this often.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly IObjectStore _bucket;
    private readonly string _instance;
    private readonly int _batch;
    private readonly TimeSpan _idle;
    private readonly Channel<CapturedLine> _queue;
    private readonly Task _writer;
    private long _dropped;
    private long _written;
    private long _failed;
    private int _files;

    public TrafficCapture(IObjectStore bucket, string instance, int capacity = 10_000, int batch = 1_000, TimeSpan? idle = null)
    {
        _bucket = bucket;
        _instance = instance;
        _batch = batch;
        _idle = idle ?? TimeSpan.FromSeconds(2);
        _queue = Channel.CreateBounded<CapturedLine>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Lines dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Lines written to the bucket.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines lost to a failed write.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Queues a line (one JSON object, no newline) for <paramref name="model"/>; false, at once, when the queue is full.</summary>
    public bool Offer(string model, DateTimeOffset at, byte[] line)
    {
        if (line.Length <= MaxLineBytes && _queue.Writer.TryWrite(new CapturedLine(model, at, line)))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>What every host does: when <paramref name="stopped"/> (its ApplicationStopped) fires, the lines still queued are written, for 10 s at most.</summary>
    public void FlushWhen(CancellationToken stopped) =>
        stopped.Register(() => DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));

    /// <summary>Stops taking lines and writes what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        var pending = new Dictionary<string, List<CapturedLine>>(StringComparer.Ordinal);
        var reader = _queue.Reader;
        while (true)
        {
            bool more;
            using (var idle = new CancellationTokenSource(_idle))
            {
                try
                {
                    more = await reader.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await FlushAsync(pending, all: true).ConfigureAwait(false); // idle: write what there is
                    continue;
                }
            }
            if (!more)
            {
                await FlushAsync(pending, all: true).ConfigureAwait(false);
                return;
            }
            while (reader.TryRead(out var line))
            {
                if (!pending.TryGetValue(line.Model, out var lines))
                {
                    pending[line.Model] = lines = [];
                }
                lines.Add(line);
            }
            await FlushAsync(pending, all: false).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(Dictionary<string, List<CapturedLine>> pending, bool all)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (model, lines) in pending.Where(p => p.Value.Count > 0 && (all || p.Value.Count >= _batch || now - p.Value[0].At > MaxAge)).ToArray())
        {
            pending[model] = [];
            var key = $"{Prefix}{model}/{lines[0].At.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{_instance}-{Interlocked.Increment(ref _files):D6}.jsonl";
            using var content = new MemoryStream();
            foreach (var line in lines)
            {
                content.Write(line.Json);
                content.WriteByte((byte)'\n');
            }
            content.Position = 0;
            try
            {
                await _bucket.WriteAsync(key, content, "application/x-ndjson", WriteCondition.IfNoneMatch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _written, lines.Count);
            }
            catch (Exception)
            {
                // Whatever the store threw (a timeout's cancellation, a client error), the writer goes on:
                // a dead writer would let the queue fill and drop every line after.
                Interlocked.Add(ref _failed, lines.Count);
            }
        }
    }

    private sealed record CapturedLine(string Model, DateTimeOffset At, byte[] Json);
}
