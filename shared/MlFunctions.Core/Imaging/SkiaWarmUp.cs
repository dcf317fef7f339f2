using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>
/// Loads SkiaSharp's native library (11 MB) and runs its static set-up (which, on Linux, also scans
/// /usr/share/fonts) on a thread-pool thread as a process starts, so that a cold start overlaps it
/// with the platform's own start-up (the Runtime API's first event, Kestrel binding its port) instead
/// of paying it when the first image arrives. A request that needs Skia sooner simply waits for it.
/// </summary>
public static class SkiaWarmUp
{
    /// <summary>The functions that decode or encode images.</summary>
    private static readonly string[] ImageFunctions = ["resize", "tensor", "on-upload"];

    /// <summary>Starts loading Skia if <paramref name="function"/> is one that needs it (null: the process serves every function).</summary>
    public static void BeginFor(string? function)
    {
        if (function is null || ImageFunctions.Contains(function))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static _ =>
            {
                using var pixel = new SKBitmap(1, 1);
            }, null);
        }
    }
}
