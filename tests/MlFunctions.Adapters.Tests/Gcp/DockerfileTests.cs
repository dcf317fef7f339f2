using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Gcp;

/// <summary>
/// The Dockerfiles (no Docker engine runs here, so they are not built): each copies the repository root,
/// whose .dockerignore keeps build outputs, packages, the bucket and artifacts out of the context; the
/// Trainer's image carries Google's store only; SAM's build image adds the .NET SDK to Amazon Linux 2023.
/// </summary>
public sealed class DockerfileTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([RepoPaths.Root, .. path]));

    [Fact]
    public void The_context_leaves_out_build_outputs_packages_the_bucket_and_artifacts()
    {
        var ignored = Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "**/node_modules/", "out/", "artifacts/", "bucket/", ".git/" }, ignored);
    }

    [Theory]
    [InlineData("Dockerfile", "functions/MlFunctions.Gcp", "/app/MlFunctions.Gcp")]
    [InlineData("Trainer.Dockerfile", "functions/MlFunctions.Trainer -c Release -r linux-x64 --self-contained -p:MlfCloud=gcp", "/app/MlFunctions.Trainer")]
    public void Each_google_image_publishes_from_the_repository_root_and_runs_its_binary(string file, string publishes, string entrypoint)
    {
        var dockerfile = Read("deploy", "gcp", file);

        Assert.Contains("COPY . .", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {publishes}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"{entrypoint}\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("runtime-deps:10.0", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Sams_build_image_is_amazon_linux_2023_with_the_dotnet_10_sdk_and_the_aot_toolchain()
    {
        var dockerfile = Read("deploy", "aws", "build.Dockerfile");

        Assert.Contains("FROM public.ecr.aws/sam/build-provided.al2023", dockerfile, StringComparison.Ordinal);
        Assert.Contains("--channel 10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("clang", dockerfile, StringComparison.Ordinal);
        Assert.Contains("--build-image mlfunctions-sam-build", Read("README.md"), StringComparison.Ordinal);
    }
}
