using MlFunctions.Core.Models.Onnx;

namespace MlFunctions.Testing;

/// <summary>A native graph's weights (<see cref="OptimizedGraphs.NativeWeights"/>) in a temporary folder, as a host finds them; deleted on dispose.</summary>
public sealed class WeightsFolder : IDisposable
{
    private WeightsFolder(string? path) => Path = path;

    /// <summary>The folder to load the native graph with, or null when it has no weights apart.</summary>
    public string? Path { get; }

    public static WeightsFolder Write(OptimizedGraphs optimized)
    {
        if (optimized.NativeWeights is not { } weights)
        {
            return new WeightsFolder(null);
        }
        var folder = Directory.CreateTempSubdirectory("mlf-weights-").FullName;
        File.WriteAllBytes(System.IO.Path.Combine(folder, OnnxFiles.NativeWeights), weights);
        return new WeightsFolder(folder);
    }

    public void Dispose()
    {
        if (Path is not null)
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
