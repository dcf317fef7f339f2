using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Uploads;

internal static class UploadGuards
{
    /// <summary>An object above the limit is refused before any work on it.</summary>
    public static void CheckSize(string key, long? bytes, long limit, string variable)
    {
        if (bytes > limit)
        {
            throw ProblemType.BodyTooLarge.With($"'{key}' has {bytes:N0} bytes; the limit is {limit:N0} ({variable}).");
        }
    }
}
