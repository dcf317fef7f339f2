using System.Runtime.InteropServices;
using System.Text.Json;
using MlFunctions.Testing.Servers;

namespace MlFunctions.Testing.Peers;

/// <summary>
/// onnxruntime-node (npm, tests/servers): an independent runner of the same graph, from another
/// language binding and build, through tests/servers/ort-run.mjs.
/// </summary>
public static class OnnxRuntimeNode
{
    public static async Task<float[]> RunAsync(string model, string input, string output, int[] shape, float[] data)
    {
        await NodePackages.EnsureAsync();
        var folder = Directory.CreateTempSubdirectory("mlf-ort-node-").FullName;
        try
        {
            var inputPath = Path.Combine(folder, "input.f32");
            var outputPath = Path.Combine(folder, "output.f32");
            await File.WriteAllBytesAsync(inputPath, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
            var result = await ProcessRunner.RunAsync("node",
                [Path.Combine(NodePackages.Folder, "ort-run.mjs"), model, input, output, string.Join(',', shape), inputPath, outputPath], TimeSpan.FromMinutes(2));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"onnxruntime-node failed ({result.ExitCode}): {result.Error}");
            }
            var runtime = JsonDocument.Parse(result.Output).RootElement.GetProperty("runtime").GetString();
            return runtime == "onnxruntime-node" ? MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(outputPath)).ToArray() : throw new InvalidOperationException(result.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
