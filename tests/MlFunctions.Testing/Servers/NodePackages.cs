namespace MlFunctions.Testing.Servers;

/// <summary>
/// The npm packages of tests/servers (azurite, s3rver, onnxruntime-node, playwright-core). .ci/run installs them; a test run that finds
/// them missing installs them once (npm ci), under a file lock, since test assemblies run in parallel.
/// </summary>
public static class NodePackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "servers");

    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            using var lockFile = await LockAsync();
            if (new[] { "s3rver", "azurite", "onnxruntime-node", "playwright-core" }.All(package => Directory.Exists(Path.Combine(Folder, "node_modules", package))))
            {
                return;
            }
            var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(10), Folder);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {Folder} failed ({result.ExitCode}): the storage tests need Node.js and its packages.\n{result.Error}");
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<FileStream> LockAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path.Combine(Folder, ".install.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                await Task.Delay(500);
            }
        }
    }
}
