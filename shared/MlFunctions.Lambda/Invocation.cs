namespace MlFunctions.Lambda;

/// <summary>One event from the Runtime API, with the headers that describe it.</summary>
public sealed record Invocation(string RequestId, DateTimeOffset Deadline, string? FunctionArn, string? TraceId, byte[] Event);
