using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlFunctions.Core.Models.Onnx;

namespace MlFunctions.Onnx;

/// <summary>
/// Core's <see cref="IGraphRunner"/> on ONNX Runtime (CPU). Creating the runner costs nothing: the
/// native runtime is loaded by the first graph, so a host that never serves an ONNX model (or a
/// resize) never loads it.
/// </summary>
public sealed class OnnxGraphRunner : IGraphRunner
{
    // The package's version: an ORT-format graph is tied to the runtime that wrote it.
    public string Runtime { get; } = "onnxruntime " + typeof(InferenceSession).Assembly.GetName().Version?.ToString(3);

    public IGraph Load(byte[] model, bool optimized = false)
    {
        // A graph Optimize wrote is loaded as it is: its optimisations are done, and that is the time a cold start saves.
        var options = Options(optimized ? GraphOptimizationLevel.ORT_DISABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_EXTENDED);
        try
        {
            return new OnnxGraph(new InferenceSession(model, options), options);
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new InvalidDataException($"ONNX Runtime cannot load the graph: {e.Message}", e);
        }
    }

    public byte[] Optimize(byte[] model)
    {
        // ONNX Runtime writes an optimised graph only to a file: the ORT format, which loads without
        // parsing protobuf or optimising again.
        var path = Path.Combine(Path.GetTempPath(), $"mlf-optimized-{Guid.NewGuid():N}.ort");
        using var options = Options(GraphOptimizationLevel.ORT_ENABLE_EXTENDED);
        options.OptimizedModelFilePath = path;
        options.AddSessionConfigEntry("session.save_model_format", "ORT");
        try
        {
            using (new InferenceSession(model, options))
            {
            }
            return File.ReadAllBytes(path);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime cannot optimise the graph: {e.Message}", e);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static SessionOptions Options(GraphOptimizationLevel level) => new()
    {
        // Portable optimisations only: the next level's layout changes (NCHWc) are specific to a CPU,
        // and a graph optimised at registration is loaded on whatever CPU serves it.
        GraphOptimizationLevel = level,
        // One request runs at a time on a function instance; two cores are all a small instance has.
        IntraOpNumThreads = Math.Min(Environment.ProcessorCount, 4),
        InterOpNumThreads = 1,
    };

    private sealed class OnnxGraph(InferenceSession session, SessionOptions options) : IGraph
    {
        public IReadOnlyDictionary<string, GraphTensor> Inputs { get; } = Describe(session.InputMetadata);

        public IReadOnlyDictionary<string, GraphTensor> Outputs { get; } = Describe(session.OutputMetadata);

        public GraphOutput Run(string input, int[] shape, float[] data, string output)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(data, Array.ConvertAll(shape, d => (long)d));
            using var run = new RunOptions();
            using var results = session.Run(run, [input], [value], [output]);
            var info = results[0].GetTensorTypeAndShape();
            return new GraphOutput(results[0].GetTensorDataAsSpan<float>().ToArray(), Array.ConvertAll(info.Shape, d => (int)d));
        }

        public void Dispose()
        {
            session.Dispose();
            options.Dispose();
        }

        private static Dictionary<string, GraphTensor> Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
            nodes.Where(n => n.Value.IsTensor).ToDictionary(
                n => n.Key,
                n => new GraphTensor(n.Value.ElementDataType == TensorElementType.Float ? "float32" : n.Value.ElementDataType.ToString().ToLowerInvariant(), n.Value.Dimensions),
                StringComparer.Ordinal);
    }
}
