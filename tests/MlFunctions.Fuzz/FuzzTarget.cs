namespace MlFunctions.Fuzz;

/// <summary>What one case did: answered (2xx, or parsed), refused (4xx, or the parser's own exception), a 5xx, or a crash.</summary>
internal enum Verdict
{
    Answered,
    Refused,
    ServerError,
    Crash,
}

/// <summary>A fuzz target: its seeds (real inputs), how to mutate them, and how to run one case.</summary>
/// <param name="Run">One case: the verdict, and for a 5xx the fault behind it.</param>
internal sealed record FuzzTarget(string Name, byte[][] Seeds, bool Json, Func<byte[], Task<(Verdict Verdict, string? Fault)>> Run);
