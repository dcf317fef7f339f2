using System.Globalization;

namespace MlFunctions.Testing;

/// <summary>Runs one catalog function in the Native AOT probe (tests/MlFunctions.AotProbe), published once per run.</summary>
public static class AotProbeRunner
{
    public sealed record Answer(int Status, string ContentType, byte[] Body);

    /// <param name="function">A catalog function, or "predict/&lt;model&gt;".</param>
    /// <param name="models">The bucket folder predict reads models from (MLF_BUCKET).</param>
    public static async Task<Answer> RunAsync(string function, string query, string inputPath, string? models = null)
    {
        var binary = await AotPublisher.PublishAsync("tests", "MlFunctions.AotProbe");
        var output = Path.Combine(Path.GetTempPath(), $"mlf-probe-{Guid.NewGuid():N}.out");
        try
        {
            string[] arguments = [binary, function, query, inputPath, output];
            var result = await ProcessRunner.RunAsync("env", models is null ? arguments : [$"MLF_BUCKET={models}", .. arguments], TimeSpan.FromMinutes(1));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"The AOT probe failed ({result.ExitCode}): {result.Error}");
            }
            var parts = result.Output.Trim().Split(' ', 2);
            return new Answer(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], await File.ReadAllBytesAsync(output));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
