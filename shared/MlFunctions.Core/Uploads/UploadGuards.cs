using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Uploads;

internal static class UploadGuards
{
    /// <summary>An object above the limit is refused before any work on it.</summary>
    public static void CheckSize(StoredObject stored, FunctionLimits limits)
    {
        if (stored.Content.LongLength > limits.MaxObjectBytes)
        {
            throw ProblemType.BodyTooLarge.With($"'{stored.Key}' has {stored.Content.LongLength:N0} bytes; the limit is {limits.MaxObjectBytes:N0} (MLF_MAX_OBJECT_BYTES).");
        }
    }
}
