namespace MlFunctions.Lambda;

/// <summary>What a Lambda function does with one event: its JSON in, the response JSON out.</summary>
public interface ILambdaHandler
{
    /// <summary>The function's name, for logs.</summary>
    string Name { get; }

    /// <summary>The events it takes, for the message when an event is not one of them.</summary>
    string Accepts { get; }

    /// <summary>
    /// Handles the event. A <see cref="System.Text.Json.JsonException"/>, <see cref="FormatException"/> or
    /// <see cref="NotSupportedException"/> means the event is not one it takes (Runtime.InvalidEvent).
    /// </summary>
    Task<LambdaResult> HandleAsync(byte[] payload, CancellationToken cancellationToken);
}

/// <summary>The response body, and a status and note for the log line.</summary>
public sealed record LambdaResult(ReadOnlyMemory<byte> Body, int? Status = null, string Note = "invocation");
