namespace MlFunctions.Lambda;

/// <summary>One structured log line on stdout, which CloudWatch stores as JSON.</summary>
public sealed record LogLine(string Timestamp, string Level, string Message, string? RequestId = null, string? Function = null, int? Status = null, double? Milliseconds = null);
