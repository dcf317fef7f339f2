using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Registry;

namespace MlFunctions.Core.Functions;

/// <summary>What the registry's writes record about their caller.</summary>
internal static class AdminCalls
{
    public const int MaxReasonLength = 500;

    /// <summary>The caller the platform vouched for, or "admin" (the call passed the platform's admin check).</summary>
    public static string Caller(FunctionRequest request) => request.Caller is { Length: > 0 } caller ? $"admin: {caller}" : "admin";

    /// <summary>The reason given, on one line and bounded: it is written into the history.</summary>
    public static string? Reason(VersionRequest body) => body.Reason switch
    {
        null => null,
        { Length: > MaxReasonLength } => throw Parameters.Invalid("reason", $"a reason has at most {MaxReasonLength} characters."),
        var reason when reason.Any(char.IsControl) => throw Parameters.Invalid("reason", "a reason is one line of text, without control characters."),
        var reason => reason,
    };
}
