using System.Diagnostics;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Local.Cli;

/// <summary>resize &lt;files or folders&gt; --out DIR [options]: the resize function over files, with progress.</summary>
internal static class ResizeCommand
{
    /// <param name="parameters">The resize function's parameters (width, height, fit, format, quality, background).</param>
    public static async Task<int> RunAsync(string[] paths, string output, IReadOnlyDictionary<string, string> parameters, TextWriter console, CancellationToken cancellationToken)
    {
        var limits = FunctionLimits.FromSettings(Environment.GetEnvironmentVariable, FunctionLimits.Azure);
        ResizeOptions options;
        try
        {
            options = ResizeOptions.Parse(new Parameters(parameters), limits);
        }
        catch (ProblemException e)
        {
            await Console.Error.WriteLineAsync($"resize: {e.Message}").ConfigureAwait(false);
            return LocalCommands.UsageError;
        }
        var inputs = ImageFiles.Find(paths);
        if (inputs.Count == 0)
        {
            await Console.Error.WriteLineAsync($"resize: no image files in {string.Join(", ", paths)}.").ConfigureAwait(false);
            return LocalCommands.UsageError;
        }
        Directory.CreateDirectory(output);
        var total = Stopwatch.StartNew();
        var failed = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var each = Stopwatch.StartNew();
            var prefix = $"[{i + 1}/{inputs.Count}] {Path.GetFileName(input)}";
            try
            {
                var bytes = await File.ReadAllBytesAsync(input, cancellationToken).ConfigureAwait(false);
                var image = ImageResizer.Resize(bytes, options, limits);
                var target = Path.Combine(output, Path.GetFileNameWithoutExtension(input) + Extension(image.Format));
                await File.WriteAllBytesAsync(target, image.Bytes, cancellationToken).ConfigureAwait(false);
                await console.WriteLineAsync($"{prefix} -> {Path.GetFileName(target)} {image.Width}x{image.Height} ({each.ElapsedMilliseconds} ms)").ConfigureAwait(false);
            }
            catch (ProblemException problem)
            {
                failed++;
                await console.WriteLineAsync($"{prefix} FAILED: {problem.Message}").ConfigureAwait(false);
            }
        }
        var seconds = total.Elapsed.TotalSeconds;
        await console.WriteLineAsync(
            $"Resized {inputs.Count - failed} of {inputs.Count} images into {output} in {seconds:F2} s ({inputs.Count / seconds:F1} images/s); {failed} failed.").ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }

    private static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.Webp => ".webp",
        _ => ".jpg",
    };
}
