namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// An ONNX runtime, as Core sees it: it loads a graph and runs it on one float tensor. Core holds no
/// runtime (MlFunctions.Onnx implements this with ONNX Runtime), so a host that never loads a graph,
/// or a function that never predicts (resize), does not pay for one.
/// </summary>
public interface IGraphRunner
{
    /// <summary>The runtime and its version, such as "onnxruntime 1.32.0": an optimised graph is loaded only by the runtime that wrote it.</summary>
    string Runtime { get; }

    /// <summary>
    /// Loads a graph (the bytes of model.onnx, or of a graph <see cref="Optimize"/> wrote, which is loaded
    /// as it is, without optimising it again); a graph the runtime cannot load is an <see cref="InvalidDataException"/>.
    /// </summary>
    IGraph Load(byte[] model, bool optimized = false);

    /// <summary>The graph optimised as loading it would, in a form that loads without optimising again.</summary>
    byte[] Optimize(byte[] model);
}

/// <summary>A loaded graph: its inputs and outputs, and a run on one float tensor. Safe for concurrent runs.</summary>
public interface IGraph : IDisposable
{
    IReadOnlyDictionary<string, GraphTensor> Inputs { get; }

    IReadOnlyDictionary<string, GraphTensor> Outputs { get; }

    /// <summary>Runs the graph with <paramref name="data"/> (of <paramref name="shape"/>) as <paramref name="input"/>; the values of <paramref name="output"/> and their shape.</summary>
    GraphOutput Run(string input, int[] shape, float[] data, string output);
}

/// <summary>A graph input's or output's element type and shape (-1 for a dimension the graph leaves open).</summary>
public sealed record GraphTensor(string ElementType, int[] Shape);

/// <summary>An output's values (row-major) and shape.</summary>
public sealed record GraphOutput(float[] Values, int[] Shape);
