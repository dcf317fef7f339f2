using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Azure;

/// <summary>The real AOT custom handler's generated function.json files (its `function-json` command), in a temporary folder deleted on dispose.</summary>
public sealed class GeneratedFunctionJson : IDisposable
{
    private GeneratedFunctionJson(string binary, string folder)
    {
        Binary = binary;
        Folder = folder;
    }

    /// <summary>The published handler that wrote them.</summary>
    public string Binary { get; }

    public string Folder { get; }

    /// <summary>The functions written, a folder each, in ordinal order.</summary>
    public string[] Functions => [.. Directory.GetDirectories(Folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    public static async Task<GeneratedFunctionJson> WriteAsync()
    {
        var binary = await AotPublisher.PublishAsync("functions", "MlFunctions.Azure");
        var folder = Directory.CreateTempSubdirectory("mlf-azure-function-json-").FullName;
        try
        {
            var result = await ProcessRunner.RunAsync(binary, ["function-json", folder], TimeSpan.FromMinutes(1));
            return result.ExitCode == 0 ? new GeneratedFunctionJson(binary, folder) : throw new InvalidOperationException($"function-json failed: {result.Error}");
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>A function's bindings (a clone: the document is not kept).</summary>
    public JsonElement Bindings(string function)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, function, "function.json")));
        return json.RootElement.GetProperty("bindings").Clone();
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
