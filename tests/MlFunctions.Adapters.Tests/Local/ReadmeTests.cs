using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>
/// The README's "Try it" commands, run as written, block by block, with bash from a temporary folder
/// that holds what they name (samples/, tests/data/), against the real local host serving that folder's
/// bucket. Three things differ from a user's terminal, and only these: the host's port (any free one,
/// not 7071, so that tests run side by side), and `dotnet run --project functions/X --` runs the
/// already-built X (the same program, without building it again mid-run). The deploy commands of the
/// cloud sections are not run: no cloud is reachable here.
/// </summary>
public sealed class ReadmeTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlf-readme-").FullName;
    private Microsoft.AspNetCore.Builder.WebApplication _host = null!;
    private string _address = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "tests"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "samples"), Path.Combine(RepoPaths.Root, "samples"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "tests", "data"), Path.Combine(RepoPaths.Root, "tests", "data"));
        var bucket = Path.Combine(_folder, "bucket");
        _host = LocalHost.Build(["--port", "0", "--bucket", bucket]);
        var registration = _host.Services.GetRequiredService<Composition.FunctionServices>().Registration;
        await SampleModel.EnsureAsync(LocalHost.BucketStore(["--bucket", bucket]), _host.Logger, CancellationToken.None);
        await SampleImageModel.EnsureAsync(LocalHost.BucketStore(["--bucket", bucket]), registration, _host.Logger, CancellationToken.None);
        await _host.StartAsync();
        _address = _host.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The shell blocks between "## Try it" and the next section, in order.</summary>
    private static List<string> TryItBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("## Try it", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return [.. Regex.Matches(readme[start..end], "```sh\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value)];
    }

    private async Task<ProcessRunner.Result> RunAsync(string block)
    {
        var script = block
            .Replace("http://127.0.0.1:7071", _address, StringComparison.Ordinal)
            .Replace("dotnet run --project functions/MlFunctions.Local --", $"dotnet {typeof(LocalHost).Assembly.Location}", StringComparison.Ordinal)
            .Replace("dotnet run --project functions/MlFunctions.Trainer --", $"dotnet {typeof(MlFunctions.Trainer.RetrainHandler).Assembly.Location}", StringComparison.Ordinal);
        var path = Path.Combine(_folder, "block.sh");
        await File.WriteAllTextAsync(path, "set -euo pipefail\n" + script);
        return await ProcessRunner.RunAsync("bash", [path], TimeSpan.FromMinutes(3), _folder);
    }

    [Fact]
    public async Task Every_try_it_block_runs_as_written_and_does_what_its_comments_say()
    {
        var blocks = TryItBlocks();
        Assert.Equal(7, blocks.Count); // the HTTP calls, resize, features, train, train from Parquet, dropping files, and the lifecycle

        var http = await RunAsync(blocks[0]);
        Assert.True(http.ExitCode == 0, http.Output + http.Error);
        Assert.Contains("\"name\":\"resize\"", http.Output, StringComparison.Ordinal);
        Assert.Contains("X-Tensor-Shape: 1,3,224,224", http.Output, StringComparison.Ordinal);
        Assert.Contains("X-Tensor-Shape: 2,3,224,224", http.Output, StringComparison.Ordinal);
        Assert.Contains("\"shape\":[1,3,4,4]", http.Output, StringComparison.Ordinal);
        Assert.Contains("unsupported-image", http.Output, StringComparison.Ordinal);
        Assert.Matches("\"label\":\"Gentoo\".*\"label\":\"Adelie\"", http.Output);
        Assert.Contains("\"names\":[\"age\",\"plan=free\",\"plan=pro\",\"plan=<unknown>\"],\"vectors\":[[1,0,1,0],[0,0,0,1]]", http.Output, StringComparison.Ordinal);
        Assert.Contains("\"embedding\":[", http.Output, StringComparison.Ordinal);
        Assert.Equal((224, 224), Size("out.jpg"));
        Assert.Equal((300, 300), Size("out.webp"));
        Assert.Equal(64, Size("form.jpg").Width);
        Assert.Equal(602112, new FileInfo(Path.Combine(_folder, "tensor.bin")).Length);
        Assert.Equal(2 * 602112, new FileInfo(Path.Combine(_folder, "batch.bin")).Length);

        var resize = await RunAsync(blocks[1]);
        Assert.True(resize.ExitCode == 0, resize.Output + resize.Error);
        Assert.Contains("Resized 18 of 18 images", resize.Output, StringComparison.Ordinal);
        Assert.Equal(18, Directory.GetFiles(Path.Combine(_folder, "thumbs")).Length);

        var features = await RunAsync(blocks[2]);
        Assert.True(features.ExitCode == 0, features.Output + features.Error);
        Assert.Contains("\"fitted\"", File.ReadAllText(Path.Combine(_folder, "fitted.json")), StringComparison.Ordinal);
        Assert.Equal(345, File.ReadAllLines(Path.Combine(_folder, "vectors.csv")).Length); // a header and a row a penguin
        Assert.Contains("row,label,probability", features.Output, StringComparison.Ordinal);

        var train = await RunAsync(blocks[3]);
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        Assert.Contains(", champion", train.Output, StringComparison.Ordinal);

        var parquet = await RunAsync(blocks[4]);
        Assert.True(parquet.ExitCode == 0, parquet.Output + parquet.Error);
        Assert.Contains("Read 344 rows from penguins.parquet", parquet.Output + parquet.Error, StringComparison.Ordinal);
        Assert.Contains("Beak Length (mm)", parquet.Output, StringComparison.Ordinal); // the proposed spec

        var drop = await RunAsync(blocks[5]);
        Assert.True(drop.ExitCode == 0, drop.Output + drop.Error);
        Assert.Contains("\"prediction\"", drop.Output, StringComparison.Ordinal);

        var lifecycle = await RunAsync(blocks[6]);
        Assert.True(lifecycle.ExitCode == 0, lifecycle.Output + lifecycle.Error);
        Assert.Contains("{\"model\":\"penguins\",\"task\":\"multiclass\"", lifecycle.Output, StringComparison.Ordinal);
        Assert.Contains("\"history\":[", lifecycle.Output, StringComparison.Ordinal);
        Assert.Matches("\"alias\":\"champion\",\"version\":\"[^\"]+\",\"was\":", lifecycle.Output); // the rollback
        Assert.Contains("\"label\":\"Chinstrap\"", lifecycle.Output, StringComparison.Ordinal);
        Assert.Contains("\"method\":\"linear\"", lifecycle.Output, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"succeeded\",", lifecycle.Output, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"approved:", lifecycle.Output, StringComparison.Ordinal); // the CLI's history
    }

    private (int Width, int Height) Size(string file)
    {
        using var codec = SkiaSharp.SKCodec.Create(Path.Combine(_folder, file));
        return (codec.Info.Width, codec.Info.Height);
    }
}
