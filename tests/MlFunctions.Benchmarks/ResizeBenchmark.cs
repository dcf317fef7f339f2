using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Testing;

namespace MlFunctions.Benchmarks;

/// <summary>
/// The resize path the way tests/peers/sharp-resize.mjs runs sharp: decode, EXIF rotate, cover-resize,
/// JPEG quality 85, one thread, every photo ROUNDS times after one untimed round on each side; then sharp
/// itself on the same photos, and the ratio. Beside the speed, each side's quality: the same resizes
/// written losslessly (PNG, so that JPEG's loss does not swamp the resize's) against an exact
/// area-average downscale of the full-size photo (<see cref="ReferenceResize"/>), as mean absolute error
/// per channel value and PSNR.
/// </summary>
internal static partial class ResizeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : RepoPaths.ExifImages;
        var width = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 224;
        var height = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 224;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        var paths = Directory.GetFiles(folder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToArray();
        var files = paths.Select(File.ReadAllBytes).ToArray();
        var options = new ResizeOptions(width, height, FitMode.Cover, ImageFormat.Jpeg, 85, null);
        Console.WriteLine($"Resize benchmark: {files.Length} photos from {folder}, cover {width}x{height}, JPEG q85, one thread, {rounds} rounds");

        Resize(files, options, 1); // warm-up: JIT and Skia's first-use costs
        var ours = Resize(files, options, rounds);
        Console.WriteLine($"MlFunctions (SkiaSharp, .NET {Environment.Version}): {ours.Images} images in {ours.Seconds:F3} s = {ours.PerSecond:F1} images/s ({ours.Bytes} output bytes)");

        var references = files.Select(f => ReferenceResize.Cover(f, width, height)).ToArray();
        var lossless = options with { Format = ImageFormat.Png };
        var ourQuality = Quality(files.Select(f => Pixels.Decode(ImageResizer.Resize(f, lossless, FunctionLimits.Default).Bytes)).ToArray(), references);
        var outputs = Directory.CreateTempSubdirectory("mlf-sharp-out-").FullName;
        try
        {
            var sharp = await RunSharpAsync(folder, width, height, rounds, outputs);
            if (sharp is null)
            {
                Console.WriteLine("sharp: not measured (run 'npm ci' in tests/peers to install it, and have node on PATH).");
                Console.WriteLine($"Quality against the exact area average: MlFunctions {ourQuality}");
                return 0;
            }
            var sharpQuality = Quality(paths.Select(p => Pixels.Decode(File.ReadAllBytes(Path.Combine(outputs, Path.GetFileNameWithoutExtension(p) + ".png")))).ToArray(), references);
            Console.WriteLine(sharp.Value.Line);
            Console.WriteLine($"Ratio: MlFunctions / sharp = {ours.PerSecond / sharp.Value.PerSecond:F2}x images per second");
            Console.WriteLine($"Quality, the same resizes written as PNG, against the exact area average of the full-size photo:");
            Console.WriteLine($"  MlFunctions {ourQuality}");
            Console.WriteLine($"  sharp       {sharpQuality}");
            return 0;
        }
        finally
        {
            Directory.Delete(outputs, recursive: true);
        }
    }

    private static string Quality(Pixels[] outputs, Pixels[] references)
    {
        var errors = outputs.Select((o, i) => o.MeanAbsoluteError(references[i])).ToArray();
        var psnr = outputs.Select((o, i) => ReferenceResize.Psnr(o, references[i])).ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"mean absolute error {errors.Average():F2} per channel value (worst photo {errors.Max():F2}), PSNR {psnr.Average():F2} dB (worst {psnr.Min():F2})");
    }

    private static (int Images, double Seconds, long Bytes, double PerSecond) Resize(byte[][] files, ResizeOptions options, int rounds)
    {
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var file in files)
            {
                bytes += ImageResizer.Resize(file, options, FunctionLimits.Default).Bytes.Length;
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var images = files.Length * rounds;
        return (images, seconds, bytes, images / seconds);
    }

    private static async Task<(string Line, double PerSecond)?> RunSharpAsync(string folder, int width, int height, int rounds, string outputs)
    {
        var peers = Path.Combine(RepoPaths.Root, "tests", "peers");
        if (!Directory.Exists(Path.Combine(peers, "node_modules", "sharp")))
        {
            return null;
        }
        ProcessRunner.Result result;
        try
        {
            result = await ProcessRunner.RunAsync("node",
                [Path.Combine(peers, "sharp-resize.mjs"), folder, width.ToString(CultureInfo.InvariantCulture), height.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture), outputs],
                TimeSpan.FromMinutes(5), peers);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no node on PATH
        }
        var match = PerSecond().Match(result.Output);
        return result.ExitCode == 0 && match.Success
            ? (result.Output.Trim(), double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"sharp failed ({result.ExitCode}): {result.Output}{result.Error}");
    }

    [GeneratedRegex(@"= ([0-9.]+) images/s")]
    private static partial Regex PerSecond();
}
