using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Architecture;

/// <summary>
/// One composition root: the functions, the model cache and the model runtimes are wired in
/// MlFunctions.Composition only, and the Trainer built for one platform carries that platform's store only.
/// </summary>
public sealed class CompositionTests
{
    private static readonly string[] Wiring = ["new ModelCache(", "FunctionCatalog.Create(", "new OnnxGraphRunner(", "new OnUploadFunction(", "ImageVariant.Parse("];

    [Fact]
    public void No_host_wires_the_functions_itself()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "functions"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToArray();
        Assert.NotEmpty(sources);

        var offenders = sources
            .SelectMany(path => Wiring.Where(File.ReadAllText(path).Contains).Select(call => $"{Path.GetRelativePath(RepoPaths.Root, path)}: {call}"))
            .ToArray();

        Assert.Empty(offenders);
        Assert.Contains("FunctionLimits.FromSettings(", File.ReadAllText(Path.Combine(RepoPaths.Root, "shared", "MlFunctions.Composition", "FunctionServices.cs")));
    }

    [Theory]
    [InlineData("aws", "MlFunctions.Storage.Aws")]
    [InlineData("azure", "MlFunctions.Storage.Azure")]
    [InlineData("gcp", "MlFunctions.Storage.Gcp")]
    public async Task The_trainer_for_one_platform_carries_that_platforms_store_only(string cloud, string store)
    {
        var references = await ProjectReferencesAsync($"-p:MlfCloud={cloud}");

        Assert.Contains(references, r => r.Contains(store, StringComparison.Ordinal));
        Assert.Single(references, r => r.Contains("MlFunctions.Storage.", StringComparison.Ordinal));
        Assert.Equal(cloud == "aws", references.Any(r => r.Contains("MlFunctions.Lambda", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_trainer_by_default_carries_every_store_for_the_cli_and_refuses_an_unknown_platform()
    {
        var references = await ProjectReferencesAsync();
        Assert.Equal(3, references.Count(r => r.Contains("MlFunctions.Storage.", StringComparison.Ordinal)));

        // The check alone (no restore: a restore for another platform would rewrite the project's assets under other tests).
        var unknown = await ProcessRunner.RunAsync("dotnet", ["msbuild", TrainerProject, "-t:CheckMlfCloud", "-p:MlfCloud=azrue", "-nologo"], TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("MlfCloud 'azrue' is not one of: aws, azure, gcp, all.", unknown.Output + unknown.Error);
    }

    private static string TrainerProject => Path.Combine(RepoPaths.Root, "functions", "MlFunctions.Trainer", "MlFunctions.Trainer.csproj");

    private static async Task<string[]> ProjectReferencesAsync(params string[] properties)
    {
        // Evaluation only (no build): the references MSBuild resolves for these properties.
        var result = await ProcessRunner.RunAsync("dotnet", ["msbuild", TrainerProject, "-getItem:ProjectReference", "-nologo", .. properties], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        return result.Output.Split('\n').Where(line => line.Contains("\"Identity\"", StringComparison.Ordinal)).ToArray();
    }
}
