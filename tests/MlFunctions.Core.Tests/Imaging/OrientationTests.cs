using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Testing;
using Xunit.Abstractions;

namespace MlFunctions.Core.Tests.Imaging;

/// <summary>Every photo in the EXIF set, whatever its orientation tag, must come out like its upright twin.</summary>
public sealed class OrientationTests(ITestOutputHelper output)
{
    // Measured: upright results differ from their twin by 0.3 to 1.8 per channel value (each photo was
    // encoded separately); a mirrored one differs by 38 or more.
    private const double JpegNoise = 3.0;

    public static TheoryData<string> Photos() =>
        new(Directory.EnumerateFiles(RepoPaths.ExifImages, "*.jpg").Select(Path.GetFileNameWithoutExtension).Order().Select(n => n!));

    [Theory]
    [MemberData(nameof(Photos))]
    public void Each_photo_comes_out_upright_like_its_orientation_1_twin(string photo)
    {
        var twin = photo.StartsWith("Landscape", StringComparison.Ordinal) ? "Landscape_1" : "Portrait_1";
        var options = new ResizeOptions(224, 224, FitMode.Cover, ImageFormat.Png, 85, null);

        var result = Resize(photo, options);
        var expected = Resize(twin, options);
        var error = result.MeanAbsoluteError(expected);
        var mirrored = result.MeanAbsoluteError(Mirror(expected));
        output.WriteLine($"{photo}: {error:F2} against {twin}, {mirrored:F2} against it mirrored");

        Assert.True(error < JpegNoise, $"{photo} differs from {twin} by {error:F2} per channel value.");
        Assert.True(mirrored > 10 * JpegNoise, $"The comparison cannot tell a mirrored image ({mirrored:F2}).");
    }

    [Theory]
    [InlineData("Portrait_6")]
    [InlineData("Landscape_8")]
    public void Keeping_the_aspect_ratio_uses_the_upright_dimensions(string photo)
    {
        var image = ImageResizer.Resize(File.ReadAllBytes(RepoPaths.ExifImage(photo)), new ResizeOptions(120, null, FitMode.Cover, null, 85, null), FunctionLimits.Default);

        Assert.Equal(120, image.Width);
        Assert.Equal(photo.StartsWith("Portrait", StringComparison.Ordinal) ? 180 : 80, image.Height);
    }

    private static Pixels Resize(string photo, ResizeOptions options) =>
        Pixels.Decode(ImageResizer.Resize(File.ReadAllBytes(RepoPaths.ExifImage(photo)), options, FunctionLimits.Default).Bytes);

    private static Pixels Mirror(Pixels pixels)
    {
        var rgba = new byte[pixels.Rgba.Length];
        for (var y = 0; y < pixels.Height; y++)
        {
            for (var x = 0; x < pixels.Width; x++)
            {
                Array.Copy(pixels.Rgba, ((y * pixels.Width) + x) * 4, rgba, ((y * pixels.Width) + (pixels.Width - 1 - x)) * 4, 4);
            }
        }
        return pixels with { Rgba = rgba };
    }
}
