using MlFunctions.Core.Contract;
using SkiaSharp;

namespace MlFunctions.Core.Imaging;

/// <summary>
/// Loads SkiaSharp's native library (11 MB) and runs its static set-up (which, on Linux, also scans
/// /usr/share/fonts) on a thread-pool thread as a process starts, then primes the path every image takes
/// (a small JPEG encoded, then decoded at a reduced scale, drawn smaller and encoded again), so that a
/// cold start overlaps the first run of that code (its pages faulted in, libjpeg's tables built) with
/// the platform's own start-up (the Runtime API's first event, Kestrel binding its port) instead of
/// paying it when the first image arrives. A request that needs Skia sooner simply waits for it.
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
                try
                {
                    Prime();
                }
                catch (Exception)
                {
                    // Only a head start: the first request meets the same fault and answers with it.
                }
            }, null);
        }
    }

    /// <summary>The first run of the image path, on a 64x48 picture: a few hundred microseconds once warm.</summary>
    internal static ResizedImage Prime()
    {
        using var picture = new SKBitmap(new SKImageInfo(64, 48, SKImageInfo.PlatformColorType, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(picture))
        {
            canvas.Clear(SKColors.SteelBlue);
        }
        var jpeg = ImageEncoder.Encode(picture, ImageFormat.Jpeg, 85);
        return ImageResizer.Resize(jpeg, new ResizeOptions(16, 16, FitMode.Cover, null, 85, null), FunctionLimits.Default);
    }
}
