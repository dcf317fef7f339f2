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
        Architecture.X64 => X64Vectors(),
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The widest vectors an x64 CPU has, from CPUID's feature bits (the OS enabling their registers is
    /// taken as given, as Linux does for what the CPU has): not from <c>Avx512F.IsSupported</c>, which a
    /// Native AOT binary answers for the instruction sets it was compiled for, so that its JIT and AOT
    /// builds named one machine differently, and the AOT build optimised the graph again at every cold
    /// start. Named "x64/avx512f" where the old labels were "x64-avx512": a graph labelled by an AOT host
    /// before (its AVX-512 layouts called "x64-avx2") never matches, and loads its portable form.
    /// </summary>
    private static string X64Vectors()
    {
        var (leaves, _, _, _) = X86Base.CpuId(0, 0);
        var (_, _, features1, _) = X86Base.CpuId(1, 0);
        var (_, features7, _, _) = leaves >= 7 ? X86Base.CpuId(7, 0) : default;
        var xsave = (features1 & (1 << 27)) != 0; // OSXSAVE: the OS saves the vector registers
        return !xsave || (features1 & (1 << 28)) == 0 ? "x64/sse"
            : (features7 & (1 << 16)) != 0 ? "x64/avx512f"
            : (features7 & (1 << 5)) != 0 ? "x64/avx2"
            : "x64/avx";
    }

    public IGraph Load(byte[] model, GraphForm form = GraphForm.Original, string? weightsFolder = null)
    {
        var options = Options(form == GraphForm.Native ? GraphOptimizationLevel.ORT_DISABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_ALL);
        try
        {
            if (weightsFolder is not null)
            {
                // The graph's weights live in a file of that folder: ONNX Runtime maps it into memory, so
                // nothing copies them into the heap (a cold start's largest cost: 64 MB for ResNet18).
                options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", weightsFolder);
            }
            return new OnnxGraph(new InferenceSession(model, options), options);
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new InvalidDataException($"ONNX Runtime cannot load the graph: {e.Message}", e);
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    public OptimizedGraphs Optimize(byte[] model)
    {
        var folder = Directory.CreateTempSubdirectory("mlf-optimized-").FullName;
        try
        {
            var portable = Save(model, GraphOptimizationLevel.ORT_ENABLE_EXTENDED, Path.Combine(folder, OnnxFiles.Portable), weights: null);
            var native = Save(model, GraphOptimizationLevel.ORT_ENABLE_ALL, Path.Combine(folder, OnnxFiles.Native), OnnxFiles.NativeWeights);
            // A graph with no initializer large enough to keep apart (a small tabular model) gets no weights file.
            var weights = Path.Combine(folder, OnnxFiles.NativeWeights);
            var hasWeights = File.Exists(weights);
            // Loaded once as a host will load it, from the folder it was written to.
            Load(native, GraphForm.Native, hasWeights ? folder : null).Dispose();
            return new OptimizedGraphs(portable, native, hasWeights ? File.ReadAllBytes(weights) : null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The graph as ONNX Runtime optimises it at <paramref name="level"/>, in ONNX's own format (which loads
    /// faster here than the ORT format), written to <paramref name="path"/> (ONNX Runtime writes an optimised
    /// graph only to a file); with <paramref name="weights"/>, its initializers of 1 KiB or more go to that
    /// file beside it, aligned so that a load maps them.
    /// </summary>
    private static byte[] Save(byte[] model, GraphOptimizationLevel level, string path, string? weights)
    {
        using var options = Options(level);
        options.OptimizedModelFilePath = path;
        if (weights is not null)
        {
            options.AddSessionConfigEntry("session.optimized_model_external_initializers_file_name", weights);
            options.AddSessionConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
        }
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
    }

    private static SessionOptions Options(GraphOptimizationLevel level)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = level,
            // One request runs at a time on a function instance; two cores are all a small instance has.
            IntraOpNumThreads = Math.Min(Environment.ProcessorCount, 4),
            InterOpNumThreads = 1,
        };
        // A session's threads wait for work without spinning: between runs a request decodes its image,
        // and a model with a prepare graph runs two sessions, whose idle threads spun on the cores the
        // other work needed. ResNet18 here: 21 ms a photo against 33 (the graph's own run is unchanged).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        return options;
    }

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
