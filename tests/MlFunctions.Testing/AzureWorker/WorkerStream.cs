using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using MlFunctions.Testing.AzureWorker.Rpc;

namespace MlFunctions.Testing.AzureWorker;

/// <summary>
/// The host's end of one worker's event stream: messages to the worker are queued and written in order;
/// the worker's answers complete the request that carried the same request id (init, metadata, loads) or
/// invocation id (invocations); its logs are kept for a test's failure message.
/// </summary>
public sealed class WorkerStream
{
    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _replies = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();

    public WorkerStream(string workerId) => WorkerId = workerId;

    public string WorkerId { get; }

    /// <summary>Completed when the worker has opened the stream with StartStream naming <see cref="WorkerId"/>.</summary>
    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when the stream ends (the worker closed it or exited).</summary>
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>Sends a request and waits for the worker's reply with the same request id.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage message, TimeSpan timeout)
    {
        message.RequestId = Guid.NewGuid().ToString();
        var reply = _replies.GetOrAdd(message.RequestId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await _outgoing.Writer.WriteAsync(message);
        return await reply.Task.WaitAsync(timeout);
    }

    /// <summary>Sends an invocation; the task is its InvocationResponse.</summary>
    public async Task<InvocationResponse> InvokeAsync(InvocationRequest invocation, TimeSpan timeout)
    {
        var response = _invocations.GetOrAdd(invocation.InvocationId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await _outgoing.Writer.WriteAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = invocation });
        return await response.Task.WaitAsync(timeout);
    }

    /// <summary>Queues a message without waiting for an answer; false when the stream has ended.</summary>
    public bool TrySend(StreamingMessage message) => _outgoing.Writer.TryWrite(message);

    /// <summary>Runs the stream until the worker ends it: the first message must be StartStream for this worker.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        try
        {
            if (!await fromWorker.MoveNext(cancellationToken) || fromWorker.Current.StartStream?.WorkerId != WorkerId)
            {
                throw new InvalidOperationException($"The worker's first message is not StartStream for worker {WorkerId}: {fromWorker.Current}");
            }
            Connected.TrySetResult();
            var writing = WriteAsync(toWorker, cancellationToken);
            while (await fromWorker.MoveNext(cancellationToken))
            {
                Receive(fromWorker.Current);
            }
            _outgoing.Writer.TryComplete();
            await writing;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            // The worker went away: whatever waits on it times out with the logs in its message.
        }
        finally
        {
            Closed.TrySetResult();
        }
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken))
        {
            await toWorker.WriteAsync(message, cancellationToken);
        }
    }

    private void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = message.RpcLog;
                Logs.Enqueue($"{log.Level} {log.Category}: {log.Message}{(log.Exception is { } e ? " " + e.Message : "")}");
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                _invocations.GetOrAdd(message.InvocationResponse.InvocationId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message.InvocationResponse);
                break;
            case StreamingMessage.ContentOneofCase.None:
                // The worker acknowledges terminate and cancel messages with an empty one.
                break;
            default:
                _replies.GetOrAdd(message.RequestId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
                break;
        }
    }
}

/// <summary>FunctionRpc as the host serves it: each stream belongs to the worker its StartStream names.</summary>
public sealed class HostRpcService(WorkerStream worker) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        worker.RunAsync(requestStream, responseStream, context.CancellationToken);
}
