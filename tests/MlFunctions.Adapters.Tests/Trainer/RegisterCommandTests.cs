using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Trainer;

/// <summary>The Trainer's register command, run as a user runs it, on the real ResNet18 graphs.</summary>
public sealed class RegisterCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mlf-register-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Task<ProcessRunner.Result> RegisterAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [typeof(MlFunctions.Trainer.RetrainHandler).Assembly.Location, "register", .. args, "--bucket", Path.Combine(_work, "bucket")], TimeSpan.FromMinutes(2));

    private string Manifest(string json)
    {
        var path = Path.Combine(_work, "manifest.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task A_fitting_model_is_registered_as_the_champion_and_a_mismatch_is_exit_1_with_its_reason()
    {
        var fits = Manifest("""
            {"task": "image-embedding", "prepare": {"input": "OriginalInput", "output": "PreprocessedInput"},
             "input": {"name": "Input247"}, "output": {"name": "Pooling395_Output_0"}, "image": {"scale": 1}}
            """);

        var registered = await RegisterAsync("--model", "photos", "--graph", SampleImageModel.GraphPath, "--prepare", SampleImageModel.PreparePath, "--manifest", fits);
        var mismatch = await RegisterAsync("--model", "photos2", "--graph", SampleImageModel.GraphPath,
            "--manifest", Manifest("""{"task": "image-embedding", "input": {"name": "pixels"}, "output": {"name": "Pooling395_Output_0"}, "image": {}}"""));

        Assert.True(registered.ExitCode == 0, registered.Output + registered.Error);
        Assert.Contains("photos: processed: version v-", registered.Output, StringComparison.Ordinal);
        Assert.NotNull(await new ObjectModelStore(new LocalFolderStore(Path.Combine(_work, "bucket"))).ReadChampionAsync("photos", CancellationToken.None));
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("has no input 'pixels'", mismatch.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model", "bad name")]
    [InlineData("--graph", "missing.onnx")]
    [InlineData("--colour", "blue")]
    public async Task A_usage_mistake_is_exit_2_with_one_line_saying_what_is_wrong(string option, string value)
    {
        string[] args = option switch
        {
            "--model" => ["--model", value, "--graph", SampleImageModel.GraphPath, "--manifest", Manifest("{}")],
            "--graph" => ["--model", "m", "--graph", Path.Combine(_work, value), "--manifest", Manifest("{}")],
            _ => [option, value],
        };

        var result = await RegisterAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("register: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
