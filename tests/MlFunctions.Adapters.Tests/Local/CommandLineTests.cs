using System.Net;
using System.Net.Sockets;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>
/// Both executables' command lines as a new user meets them: --help everywhere, and each misuse one line
/// on standard error with exit code 2, never a stack trace; a port in use is one sentence.
/// </summary>
public sealed class CommandLineTests
{
    private static string LocalDll => typeof(LocalHost).Assembly.Location;

    private static string TrainerDll => typeof(MlFunctions.Trainer.RetrainHandler).Assembly.Location;

    public static TheoryData<string, string[], string> Helps => new()
    {
        { "local", ["--help"], "serve" },
        { "local", ["serve", "--help"], "--api-key" },
        { "local", ["resize", "--help"], "--background" },
        { "local", ["features", "--help"], "propose" },
        { "local", ["features", "fit", "--help"], "--out" },
        { "local", ["format", "--help"], "standard input" },
        { "trainer", ["--help"], "register" },
        { "trainer", ["train", "--help"], "--promote" },
        { "trainer", ["retrain", "--help"], "--rerun" },
        { "trainer", ["register", "--help"], "--prepare" },
    };

    [Theory]
    [MemberData(nameof(Helps))]
    public async Task Help_is_there_for_every_command_and_lists_its_options(string executable, string[] args, string listed)
    {
        var result = await ProcessRunner.RunAsync("dotnet", [executable == "local" ? LocalDll : TrainerDll, .. args], TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains(listed, result.Output, StringComparison.Ordinal);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], string> Misuses => new()
    {
        { "local", ["--no-such-option"], "'--no-such-option'" },
        { "local", ["bogus"], "'bogus'" },
        { "local", ["--port", "http"], "port" },
        { "local", ["resize", "photos", "--out", "thumbs", "--width"], "--width" },
        { "local", ["resize", "photos"], "--out" },
        { "local", ["format", "missing.json"], "no file 'missing.json'" },
        { "local", ["features", "missing.csv", "--spec", "spec.json"], "no file 'missing.csv'" },
        { "trainer", [], "train, retrain, register, import-mlnet or models" },
        { "trainer", ["bogus"], "'bogus'" },
        { "trainer", ["train", "--data", "samples/penguins.csv"], "--spec" },
        { "trainer", ["train", "--data", "missing.csv", "--spec", "samples/penguins.model.json", "--model", "p"], "no file 'missing.csv'" },
        { "trainer", ["train", "--data", "samples/penguins.csv", "--spec", "samples/penguins.model.json", "--model", "a b"], "not a model name" },
        { "trainer", ["retrain", "training/penguins/x.csv"], "jobs/MODEL/JOB-ID.job.json" },
    };

    [Theory]
    [MemberData(nameof(Misuses))]
    public async Task A_misuse_is_one_line_and_exit_code_2(string executable, string[] args, string says)
    {
        var result = await ProcessRunner.RunAsync("dotnet", [executable == "local" ? LocalDll : TrainerDll, .. args], TimeSpan.FromMinutes(1), RepoPaths.Root);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(says, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string[], int, string> AotBinaries => new()
    {
        { "MlFunctions.Aws", "bootstrap", ["--help"], 0, "_HANDLER" },
        { "MlFunctions.Aws", "bootstrap", [], 2, "AWS_LAMBDA_RUNTIME_API is not set" },
        { "MlFunctions.Aws", "bootstrap", ["serve"], 2, "takes no arguments" },
        { "MlFunctions.Azure", "MlFunctions.Azure", ["--help"], 0, "event-grid-filters" },
        { "MlFunctions.Azure", "MlFunctions.Azure", ["--port", "80"], 2, "is not a command" },
        { "MlFunctions.Gcp", "MlFunctions.Gcp", ["--help"], 0, "FUNCTION_TARGET" },
        { "MlFunctions.Gcp", "MlFunctions.Gcp", ["resize"], 2, "takes no arguments" },
    };

    /// <summary>The AOT binaries the platforms start: --help says what they read, and a misuse is one line and exit 2 (the bootstrap used to abort with a stack trace, the Azure handler to serve on 8080 for --help).</summary>
    [Theory]
    [MemberData(nameof(AotBinaries))]
    public async Task The_platform_binaries_explain_themselves_and_refuse_misuse_in_one_line(string project, string binary, string[] args, int exitCode, string says)
    {
        var path = await AotPublisher.PublishAsync("functions", project, binary);
        var start = new System.Diagnostics.ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("AWS_LAMBDA_RUNTIME_API");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(exitCode, process.ExitCode);
        Assert.Contains(says, exitCode == 0 ? await output : await error, StringComparison.Ordinal);
        if (exitCode != 0)
        {
            Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task A_port_in_use_is_one_sentence()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var bucket = Directory.CreateTempSubdirectory("mlf-port-").FullName;
        try
        {
            var result = await ProcessRunner.RunAsync("dotnet", [LocalDll, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bucket", bucket], TimeSpan.FromMinutes(2));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"127.0.0.1:{port} is in use", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(bucket, recursive: true);
        }
    }
}
