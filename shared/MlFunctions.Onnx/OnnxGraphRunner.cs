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
    public IGraph Load(byte[] model)
    {
        var options = new SessionOptions
        {
            // Portable optimisations only: the extended level's layout changes (NCHWc) are specific to a CPU.
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            // One request runs at a time on a function instance; two cores are all a small instance has.
            IntraOpNumThreads = Math.Min(Environment.ProcessorCount, 4),
            InterOpNumThreads = 1,
        };
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

    private sealed class OnnxGraph(InferenceSession session, SessionOptions options) : IGraph
    {
        public IReadOnlyDictionary<string, GraphTensor> Inputs { get; } = Describe(session.InputMetadata);

        public IReadOnlyDictionary<string, GraphTensor> Outputs { get; } = Describe(session.OutputMetadata);

        public float[] Run(string input, int[] shape, float[] data, string output)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(data, Array.ConvertAll(shape, d => (long)d));
            using var run = new RunOptions();
            using var results = session.Run(run, [input], [value], [output]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
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
