using System.Collections.Concurrent;

namespace MlFunctions.Testing;

/// <summary>
/// Publishes a project with Native AOT once per test run and hands every test the same binary:
/// an AOT publish takes most of a minute on two cores.
/// </summary>
public static class AotPublisher
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Published = new();

    // One publish at a time: two at once restore the shared projects for the runtime together, and on a
    // fresh clone NuGet then fails one of them ("project.assets.json already exists"); they share two cores anyway.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The path of the published native executable of tests/ or functions/ project <paramref name="project"/> (named <paramref name="binary"/> when its AssemblyName differs).</summary>
    public static Task<string> PublishAsync(string projectDirectory, string project, string? binary = null) =>
        Published.GetOrAdd(project, name => new Lazy<Task<string>>(() => PublishOnceAsync(projectDirectory, name, binary ?? name))).Value;

    /// <summary>
    /// Another publish (a script that calls dotnet publish) run once per test run under <paramref name="key"/>,
    /// one publish at a time with the AOT ones: the path it gives.
    /// </summary>
    public static Task<string> RunOnceAsync(string key, Func<Task<string>> publish) =>
        Published.GetOrAdd(key, _ => new Lazy<Task<string>>(() => OneAtATimeAsync(publish))).Value;

    private static Task<string> PublishOnceAsync(string projectDirectory, string project, string binaryName) =>
        OneAtATimeAsync(() => PublishNowAsync(projectDirectory, project, binaryName));

    private static async Task<string> OneAtATimeAsync(Func<Task<string>> publish)
    {
        await OneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            return await publish().ConfigureAwait(false);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static async Task<string> PublishNowAsync(string projectDirectory, string project, string binaryName)
    {
        var output = Path.Combine(RepoPaths.Artifacts, "aot", project);
        var csproj = Path.Combine(RepoPaths.Root, projectDirectory, project, project + ".csproj");
        var result = await ProcessRunner.RunAsync("dotnet",
            ["publish", csproj, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(10));
        var binary = Path.Combine(output, binaryName);
        if (result.ExitCode != 0 || !File.Exists(binary))
        {
            throw new InvalidOperationException($"AOT publish of {project} failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
        }
        return binary;
    }
}
