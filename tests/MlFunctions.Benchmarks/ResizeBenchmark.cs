using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Testing;

namespace MlFunctions.Benchmarks;

/// <summary>
/// The resize path the way tests/peers/sharp-resize.mjs runs sharp: decode, EXIF rotate, cover-resize,
/// JPEG quality 85, one thread, every photo ROUNDS times; then sharp itself on the same photos, and the ratio.
/// </summary>
internal static partial class ResizeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : RepoPaths.ExifImages;
        var width = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 224;
        var height = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 224;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        var files = Directory.GetFiles(folder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Select(File.ReadAllBytes).ToArray();
        var options = new ResizeOptions(width, height, FitMode.Cover, ImageFormat.Jpeg, 85, null);
        Console.WriteLine($"Resize benchmark: {files.Length} photos from {folder}, cover {width}x{height}, JPEG q85, one thread, {rounds} rounds");

        Resize(files, options, 1); // warm-up: JIT and Skia's first-use costs
        var ours = Resize(files, options, rounds);
        Console.WriteLine($"MlFunctions (SkiaSharp, .NET {Environment.Version}): {ours.Images} images in {ours.Seconds:F3} s = {ours.PerSecond:F1} images/s ({ours.Bytes} output bytes)");

        var sharp = await RunSharpAsync(folder, width, height, rounds);
        if (sharp is null)
        {
            Console.WriteLine("sharp: not measured (run 'npm ci' in tests/peers to install it, and have node on PATH).");
            return 0;
        }
        Console.WriteLine(sharp.Value.Line);
        Console.WriteLine($"Ratio: MlFunctions / sharp = {ours.PerSecond / sharp.Value.PerSecond:F2}x images per second");
        return 0;
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

    private static async Task<(string Line, double PerSecond)?> RunSharpAsync(string folder, int width, int height, int rounds)
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
                [Path.Combine(peers, "sharp-resize.mjs"), folder, width.ToString(CultureInfo.InvariantCulture), height.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture)],
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
