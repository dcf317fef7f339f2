namespace MlFunctions.Core.Models.Onnx;

/// <summary>A manifest's input and output against a loaded graph: names, element types and shapes.</summary>
internal static class GraphChecks
{
    /// <summary>Checks that <paramref name="inputShape"/> (-1 where any size is given; what the input <paramref name="becomes"/>, for the message) fits the graph's input; the output's description.</summary>
    public static GraphTensor Check(IGraph graph, OnnxTensorSpec inputSpec, OnnxTensorSpec outputSpec, int[] inputShape, string becomes)
    {
        if (!graph.Inputs.TryGetValue(inputSpec.Name, out var input))
        {
            throw new InvalidDataException($"the graph has no input '{inputSpec.Name}'; its inputs are: {string.Join(", ", graph.Inputs.Keys)}.");
        }
        if (!graph.Outputs.TryGetValue(outputSpec.Name, out var output))
        {
            throw new InvalidDataException($"the graph has no output '{outputSpec.Name}'; its outputs are: {string.Join(", ", graph.Outputs.Keys)}.");
        }
        if (input.ElementType != "float32" || output.ElementType != "float32")
        {
            throw new InvalidDataException($"the input and output must be float32, not {input.ElementType} and {output.ElementType}.");
        }
        if (!Fits(input.Shape, inputShape))
        {
            throw new InvalidDataException($"{becomes} [{Shape(inputShape)}] tensor but the graph's input '{inputSpec.Name}' is [{Shape(input.Shape)}].");
        }
        if (inputSpec.Shape is { } declared && !Fits(input.Shape, declared))
        {
            throw new InvalidDataException($"the manifest declares the input [{Shape(declared)}] but the graph's input '{inputSpec.Name}' is [{Shape(input.Shape)}].");
        }
        if (outputSpec.Shape is { } declaredOutput && !Fits(output.Shape, declaredOutput))
        {
            throw new InvalidDataException($"the manifest declares the output [{Shape(declaredOutput)}] but the graph's output '{outputSpec.Name}' is [{Shape(output.Shape)}].");
        }
        return output;
    }

    /// <summary>
    /// A graph that takes a column an input (ML.NET's converted pipelines): every named column is an input
    /// of one value a row ([-1, 1] or [1, 1]) of a type records can fill, and the output is float32.
    /// </summary>
    public static GraphTensor CheckColumns(IGraph graph, string[] columns, OnnxTensorSpec outputSpec)
    {
        if (columns.Length == 0 || columns.Distinct(StringComparer.Ordinal).Count() != columns.Length)
        {
            throw new InvalidDataException("'columns' must name the record's fields, each once.");
        }
        foreach (var column in columns)
        {
            if (!graph.Inputs.TryGetValue(column, out var input))
            {
                throw new InvalidDataException($"the graph has no input '{column}'; its inputs are: {string.Join(", ", graph.Inputs.Keys)}.");
            }
        }
        foreach (var (name, input) in graph.Inputs)
        {
            if (input.ElementType is not ("float32" or "double" or "int64" or "int32" or "uint32" or "bool" or "string") || !Fits(input.Shape, [-1, 1]))
            {
                throw new InvalidDataException($"the graph's input '{name}' is {input.ElementType} [{Shape(input.Shape)}]; a column input is one number, boolean or text a row.");
            }
        }
        if (!graph.Outputs.TryGetValue(outputSpec.Name, out var output) || output.ElementType != "float32")
        {
            throw new InvalidDataException($"the graph has no float32 output '{outputSpec.Name}'; its outputs are: {string.Join(", ", graph.Outputs.Keys)}.");
        }
        return output;
    }

    /// <summary>The values an output gives a row (every dimension after the first): known, and small enough to serve.</summary>
    public static int RowSize(GraphTensor output)
    {
        var size = output.Shape.Skip(1).Aggregate(1L, (a, d) => a * Math.Max(d, 1));
        return output.Shape.Length < 1 || output.Shape.Skip(1).Any(d => d < 0) || size > 1_000_000
            ? throw new InvalidDataException($"the output's shape [{Shape(output.Shape)}] is open or too large to serve.")
            : (int)size;
    }

    private static string Shape(int[] shape) => string.Join(",", shape);

    /// <summary>Same rank, and every dimension equal where both are known (-1 is open on either side).</summary>
    private static bool Fits(int[] graph, int[] ours) =>
        graph.Length == ours.Length && graph.Zip(ours).All(p => p.First < 0 || p.Second < 0 || p.First == p.Second);
}
