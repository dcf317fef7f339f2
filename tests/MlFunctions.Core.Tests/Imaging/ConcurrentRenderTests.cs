using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Core.Tests.Imaging;

/// <summary>
/// Fuzzing with two workers died twice of a SIGSEGV inside Skia's sprite blitter (canvas.DrawImage of
/// the decoded bitmap), once per about ten runs, never with one worker. The crash report showed the
/// draw reading pixels through an image made from a pixmap that nothing referenced any more: the GC
/// could finalize (and free) the native pixmap while Skia still used it. This drives the same path
/// on every core with collections and finalizers forced all the while. (It did not crash here before
/// the fix either: the window is a few instructions wide. The fuzz loop is the evidence; this keeps
/// the path honest under concurrency.)
/// </summary>
public sealed class ConcurrentRenderTests
{
    [Fact]
    public async Task Resizing_on_every_core_while_the_gc_collects_and_finalizes_never_crashes()
    {
        // Same size in and out: the draw is a plain copy, Skia's sprite blitter, as in the crash.
        var png = SyntheticImages.Solid(48, 32, SKColors.Teal, SKEncodedImageFormat.Png);
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        try
        {
            var answers = new int[Environment.ProcessorCount * 2];
            await Parallel.ForAsync(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = answers.Length }, async (i, _) =>
            {
                var response = i % 2 == 0
                    ? await FunctionCall.InvokeAsync("resize", "width=48&height=32&format=png", png)
                    : await FunctionCall.InvokeAsync("tensor", "width=48&height=32", png);
                Assert.Equal(200, response.Status);
            });
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
    }
}
