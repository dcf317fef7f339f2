using MlFunctions.Core.Features;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>The features subcommands, run as the real executable on penguins.csv.</summary>
public sealed class FeaturesCliTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mlf-cli-features-").FullName;
    private static readonly string Penguins = RepoPaths.Penguins;

    [Fact]
    public async Task Fit_then_transform_writes_a_spec_a_summary_and_one_vector_per_row()
    {
        var fitted = Path.Combine(_work, "fitted.json");
        var vectors = Path.Combine(_work, "vectors.csv");
        var dll = typeof(LocalHost).Assembly.Location;

        var fit = await ProcessRunner.RunAsync("dotnet", [dll, "features", "fit", Penguins, "--out", fitted], TimeSpan.FromMinutes(1));
        var transform = await ProcessRunner.RunAsync("dotnet", [dll, "features", Penguins, "--spec", fitted, "--out", vectors], TimeSpan.FromMinutes(1));

        Assert.True(fit.ExitCode == 0, fit.Error);
        Assert.Contains("3 categories: Adelie, Chinstrap, Gentoo", fit.Output);
        Assert.True(transform.ExitCode == 0, transform.Error);
        var spec = FeatureSpecJson.Read(File.ReadAllText(fitted));
        var lines = File.ReadAllLines(vectors);
        Assert.Equal(345, lines.Length);
        Assert.Equal(new FeatureVectorizer(spec).Width, lines[1].Split(',').Length);
    }

    [Fact]
    public async Task A_spec_naming_a_column_the_csv_lacks_fails_with_the_reason()
    {
        var spec = Path.Combine(_work, "spec.json");
        File.WriteAllText(spec, """{"columns": [{"name": "Wingspan", "kind": "numeric"}]}""");

        var result = await ProcessRunner.RunAsync("dotnet", [typeof(LocalHost).Assembly.Location, "features", Penguins, "--spec", spec], TimeSpan.FromMinutes(1));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no column 'Wingspan'", result.Error);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
