namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// An ONNX runtime, as Core sees it: it loads a graph and runs it on one float tensor. Core holds no
/// runtime (MlFunctions.Onnx implements this with ONNX Runtime), so a host that never loads a graph,
/// or a function that never predicts (resize), does not pay for one.
/// </summary>
public interface IGraphRunner
{
    /// <summary>Loads a graph (the bytes of model.onnx); a graph the runtime cannot load is an <see cref="InvalidDataException"/>.</summary>
    IGraph Load(byte[] model);
}

/// <summary>A loaded graph: its inputs and outputs, and a run on one float tensor. Safe for concurrent runs.</summary>
public interface IGraph : IDisposable
{
    IReadOnlyDictionary<string, GraphTensor> Inputs { get; }

    IReadOnlyDictionary<string, GraphTensor> Outputs { get; }

    /// <summary>Runs the graph with <paramref name="data"/> (of <paramref name="shape"/>) as <paramref name="input"/>; the values of <paramref name="output"/>.</summary>
    float[] Run(string input, int[] shape, float[] data, string output);
}

/// <summary>A graph input's or output's element type and shape (-1 for a dimension the graph leaves open).</summary>
public sealed record GraphTensor(string ElementType, int[] Shape);
