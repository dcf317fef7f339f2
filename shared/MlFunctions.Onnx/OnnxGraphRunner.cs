using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlFunctions.Core.Models.Onnx;

namespace MlFunctions.Onnx;

/// <summary>
/// Core's <see cref="IGraphRunner"/> on ONNX Runtime (CPU). Creating the runner costs nothing: the
/// native runtime is loaded by the first graph, so a host that never serves an ONNX model (or a
/// resize) never loads it.
/// </summary>
/// <remarks>
/// Graphs run with every optimisation (ORT_ENABLE_ALL), as ONNX Runtime's default: its last level lays
/// convolutions out for the CPU's vector width (NCHWc), a third faster on ResNet18 here. A graph
/// optimised at registration comes in two forms: portable (up to the extended level, fusions any CPU
/// runs), loaded with the last level still to do; and native (every level, for this kind of CPU), loaded
/// as it is, on a machine of the same kind only.
/// </remarks>
public sealed class OnnxGraphRunner : IGraphRunner
{
    // The package's version: an optimised graph is tied to the runtime that wrote it.
    public string Runtime { get; } = "onnxruntime " + typeof(InferenceSession).Assembly.GetName().Version?.ToString(3);

    public string Machine => $"{Runtime} {Cpu}";

    /// <summary>The kind of CPU, as far as ONNX Runtime's layouts depend on it: the architecture and its widest vectors.</summary>
    private static string Cpu => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => Avx512F.IsSupported ? "x64-avx512" : Avx2.IsSupported ? "x64-avx2" : Avx.IsSupported ? "x64-avx" : "x64-sse",
        var other => other.ToString().ToLowerInvariant(),
    };

    public IGraph Load(byte[] model, GraphForm form = GraphForm.Original)
    {
        var options = Options(form == GraphForm.Native ? GraphOptimizationLevel.ORT_DISABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_ALL);
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

    public OptimizedGraphs Optimize(byte[] model) =>
        new(Save(model, GraphOptimizationLevel.ORT_ENABLE_EXTENDED), Save(model, GraphOptimizationLevel.ORT_ENABLE_ALL));

    /// <summary>The graph as ONNX Runtime optimises it at <paramref name="level"/>, in ONNX's own format (which loads faster here than the ORT format).</summary>
    private static byte[] Save(byte[] model, GraphOptimizationLevel level)
    {
        // ONNX Runtime writes an optimised graph only to a file.
        var path = Path.Combine(Path.GetTempPath(), $"mlf-optimized-{Guid.NewGuid():N}.onnx");
        using var options = Options(level);
        options.OptimizedModelFilePath = path;
        // The native form is meant for this kind of CPU only: no warning to log about it.
        options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
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

        public GraphOutput Run(IReadOnlyList<GraphInput> inputs, string output)
        {
            var values = new List<OrtValue>(inputs.Count);
            try
            {
                foreach (var input in inputs)
                {
                    values.Add(Value(input, Inputs[input.Name].ElementType));
                }
                using var run = new RunOptions();
                using var results = session.Run(run, [.. inputs.Select(i => i.Name)], values, [output]);
                var info = results[0].GetTensorTypeAndShape();
                return new GraphOutput(results[0].GetTensorDataAsSpan<float>().ToArray(), Array.ConvertAll(info.Shape, d => (int)d));
            }
            finally
            {
                values.ForEach(v => v.Dispose());
            }
        }

        public void Dispose()
        {
            session.Dispose();
            options.Dispose();
        }

        // An input's values as the tensor type the graph declares.
        private static OrtValue Value(GraphInput input, string type)
        {
            var shape = Array.ConvertAll(input.Shape, d => (long)d);
            if (type == "string")
            {
                var texts = input.Texts ?? throw new InvalidDataException($"input '{input.Name}' takes text.");
                var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
                for (var i = 0; i < texts.Length; i++)
                {
                    value.StringTensorSetElementAt(texts[i].AsSpan(), i);
                }
                return value;
            }
            var numbers = input.Numbers ?? throw new InvalidDataException($"input '{input.Name}' takes numbers.");
            return type switch
            {
                "float32" => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(numbers, n => (float)n), shape),
                "double" => OrtValue.CreateTensorValueFromMemory(numbers, shape),
                "int64" => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(numbers, n => (long)n), shape),
                "int32" => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(numbers, n => (int)n), shape),
                "uint32" => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(numbers, n => (uint)n), shape),
                "bool" => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(numbers, n => n != 0), shape),
                _ => throw new InvalidDataException($"input '{input.Name}' is {type}, which records cannot fill."),
            };
        }

        private static Dictionary<string, GraphTensor> Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
            nodes.Where(n => n.Value.IsTensor).ToDictionary(
                n => n.Key,
                n => new GraphTensor(n.Value.ElementDataType == TensorElementType.Float ? "float32" : n.Value.ElementDataType.ToString().ToLowerInvariant(), n.Value.Dimensions),
                StringComparer.Ordinal);
    }
}
