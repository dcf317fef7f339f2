using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>The resize subcommand, run as the real executable over the photo folder.</summary>
public sealed class ResizeCliTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("mlf-cli-").FullName;

    private static string LocalDll => typeof(LocalHost).Assembly.Location;

    [Fact]
    public async Task Resizing_a_folder_writes_every_image_and_prints_progress_and_a_summary()
    {
        var result = await ProcessRunner.RunAsync("dotnet",
            [LocalDll, "resize", RepoPaths.ExifImages, "--out", _out, "--width", "64", "--height", "48", "--fit", "cover"],
            TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var written = Directory.GetFiles(_out, "*.jpg");
        Assert.Equal(18, written.Length);
        Assert.All(written, file =>
        {
            var pixels = Pixels.Decode(File.ReadAllBytes(file));
            Assert.Equal((64, 48), (pixels.Width, pixels.Height));
        });
        Assert.Contains("[18/18]", result.Output);
        Assert.Contains("Resized 18 of 18 images", result.Output);
    }

    [Fact]
    public async Task A_bad_option_exits_2_naming_it()
    {
        var result = await ProcessRunner.RunAsync("dotnet", [LocalDll, "resize", RepoPaths.ExifImages, "--out", _out, "--width", "64", "--fit", "squash"], TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'fit'", result.Error);
        Assert.Empty(Directory.GetFiles(_out));
    }

    [Fact]
    public async Task A_broken_file_is_reported_and_the_rest_still_resized()
    {
        var input = Directory.CreateTempSubdirectory("mlf-cli-in-").FullName;
        File.Copy(RepoPaths.ExifImage("Portrait_3"), Path.Combine(input, "good.jpg"));
        File.WriteAllBytes(Path.Combine(input, "broken.jpg"), File.ReadAllBytes(RepoPaths.ExifImage("Portrait_3"))[..3000]);

        var result = await ProcessRunner.RunAsync("dotnet", [LocalDll, "resize", input, "--out", _out, "--width", "32"], TimeSpan.FromMinutes(1));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken.jpg FAILED", result.Output);
        Assert.True(File.Exists(Path.Combine(_out, "good.jpg")));
        Directory.Delete(input, recursive: true);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
