namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// An ONNX runtime, as Core sees it: it loads a graph and runs it on one float tensor. Core holds no
/// runtime (MlFunctions.Onnx implements this with ONNX Runtime), so a host that never loads a graph,
/// or a function that never predicts (resize), does not pay for one.
/// </summary>
public interface IGraphRunner
{
    /// <summary>The runtime and its version, such as "onnxruntime 1.32.0": a portable optimised graph is loaded only by the runtime that wrote it.</summary>
    string Runtime { get; }

    /// <summary>The runtime and the kind of CPU, such as "onnxruntime 1.32.0 x64/avx512f": a native optimised graph is loaded only on such a machine.</summary>
    string Machine { get; }

    /// <summary>
    /// Loads a graph: model.onnx as registered, or one of the graphs <see cref="Optimize"/> wrote
    /// (<paramref name="form"/>), which skip the optimising they had; a native graph's weights are read
    /// from <see cref="OnnxFiles.NativeWeights"/> in <paramref name="weightsFolder"/> (mapped into memory,
    /// not copied; the file may be deleted once the graph is loaded). A graph the runtime cannot load is
    /// an <see cref="InvalidDataException"/>.
    /// </summary>
    IGraph Load(byte[] model, GraphForm form = GraphForm.Original, string? weightsFolder = null);

    /// <summary>
    /// The graph optimised once: portably (fusions any CPU runs), and for this <see cref="Machine"/> (its
    /// CPU's layouts too), the native form loaded once as a host will load it; a graph that cannot be
    /// optimised or loaded so is an <see cref="InvalidDataException"/>.
    /// </summary>
    OptimizedGraphs Optimize(byte[] model);
}

/// <summary>Which graph is loaded: as registered, optimised portably, or optimised for this machine.</summary>
public enum GraphForm
{
    Original,
    Portable,
    Native,
}

/// <summary>
/// A graph optimised at registration: <see cref="Portable"/> loads on any CPU, <see cref="Native"/> on
/// machines like the one that made it, with its weights (<see cref="NativeWeights"/>, null when it has
/// none large enough to keep apart) in a file of their own.
/// </summary>
public sealed record OptimizedGraphs(byte[] Portable, byte[] Native, byte[]? NativeWeights);

/// <summary>A loaded graph: its inputs and outputs, and a run on one float tensor. Safe for concurrent runs.</summary>
public interface IGraph : IDisposable
{
    IReadOnlyDictionary<string, GraphTensor> Inputs { get; }

    IReadOnlyDictionary<string, GraphTensor> Outputs { get; }

    /// <summary>Runs the graph with <paramref name="data"/> (of <paramref name="shape"/>) as <paramref name="input"/>; the values of <paramref name="output"/> and their shape.</summary>
    GraphOutput Run(string input, int[] shape, float[] data, string output);

    /// <summary>
    /// Runs the graph with several inputs, each numbers (converted to the input's element type: float,
    /// double, integers, bool) or text (a string input), as ML.NET's converted pipelines take a column an
    /// input; the values of <paramref name="output"/> (a float output) and their shape.
    /// </summary>
    GraphOutput Run(IReadOnlyList<GraphInput> inputs, string output);
}

/// <summary>One input of a run: its name, shape and values, as numbers or as text.</summary>
public sealed record GraphInput(string Name, int[] Shape, double[]? Numbers = null, string[]? Texts = null);

/// <summary>A graph input's or output's element type and shape (-1 for a dimension the graph leaves open).</summary>
public sealed record GraphTensor(string ElementType, int[] Shape);

/// <summary>An output's values (row-major) and shape.</summary>
public sealed record GraphOutput(float[] Values, int[] Shape);
