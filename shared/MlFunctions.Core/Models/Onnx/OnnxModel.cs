using System.Globalization;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Tensors;

namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// An ONNX image model being served: an image is decoded, oriented and fitted by the same code as
/// /api/tensor, run through the graph, and its output read as labels with probabilities or as an
/// embedding. The manifest is checked against the graph when the model is loaded, so a request never
/// meets a mismatch.
/// </summary>
public sealed class OnnxModel : ServedModel, IDisposable
{
    public const string Classification = "image-classification";
    public const string Embedding = "image-embedding";

    private readonly IGraph _graph;
    private readonly IGraph? _prepare;
    private readonly TensorOptions _tensor;
    private readonly Activation _activation;
    private readonly int _outputs;

    public OnnxModel(OnnxManifest manifest, IGraph graph, IGraph? prepare = null)
    {
        Manifest = manifest;
        _graph = graph;
        _prepare = prepare;
        _tensor = Tensor(manifest.Image);
        if ((manifest.Prepare is null) != (prepare is null))
        {
            throw new InvalidDataException("the manifest names a prepare graph and there is none, or there is one it does not name.");
        }
        if (manifest.Prepare is { } stage)
        {
            CheckAgainst(prepare!, new OnnxTensorSpec(stage.Input), new OnnxTensorSpec(stage.Output), _tensor);
        }
        _outputs = CheckAgainst(graph, manifest.Input, manifest.Output, _tensor);
        _activation = manifest.Activation switch
        {
            null or "softmax" => Activation.Softmax,
            "sigmoid" => Activation.Sigmoid,
            "none" => Activation.None,
            var other => throw new InvalidDataException($"activation '{other}' is not softmax, sigmoid or none."),
        };
        if (manifest.Task == Classification && (manifest.Labels is null || manifest.Labels.Length != _outputs))
        {
            throw new InvalidDataException($"the graph's output has {_outputs} values but the manifest has {manifest.Labels?.Length ?? 0} labels.");
        }
        if (manifest.Task is not (Classification or Embedding))
        {
            throw new InvalidDataException($"task '{manifest.Task}' is not {Classification} or {Embedding}.");
        }
    }

    public OnnxManifest Manifest { get; }

    public override string Name => Manifest.Name;

    public override string Version => Manifest.Version;

    public override string Task => Manifest.Task;

    /// <summary>The image's prediction: top-k labels with probabilities, or the embedding.</summary>
    public (Prediction? Prediction, float[]? Embedding) Predict(ReadOnlyMemory<byte> image, int? topK, double? threshold, FunctionLimits limits)
    {
        var options = Manifest.Task == Classification ? FormatOptions.Create(Manifest.Labels!, _activation, topK, threshold) : null;
        var input = ImageTensors.Create(image, _tensor, limits);
        if (Manifest.Prepare is { } stage)
        {
            input = _prepare!.Run(stage.Input, _tensor.Shape, input, stage.Output);
        }
        var output = _graph.Run(Manifest.Input.Name, _tensor.Shape, input, Manifest.Output.Name);
        if (options is null)
        {
            return (null, Manifest.Normalize == false ? output : UnitLength(output));
        }
        var scores = new double[output.Length];
        for (var i = 0; i < output.Length; i++)
        {
            scores[i] = output[i];
        }
        return (ScoreFormatter.Format(scores, options, 0), null);
    }

    public void Dispose()
    {
        _graph.Dispose();
        _prepare?.Dispose();
    }

    private static float[] UnitLength(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] / norm);
            }
        }
        return vector;
    }

    /// <summary>The manifest's image options as the tensor function's (the same checks and defaults).</summary>
    private static TensorOptions Tensor(OnnxImageInput image)
    {
        var query = new Dictionary<string, string>();
        Add(query, "width", image.Width?.ToString(CultureInfo.InvariantCulture));
        Add(query, "height", image.Height?.ToString(CultureInfo.InvariantCulture));
        Add(query, "scale", image.Scale?.ToString("R", CultureInfo.InvariantCulture));
        Add(query, "fit", image.Fit);
        Add(query, "layout", image.Layout);
        Add(query, "channels", image.Channels);
        Add(query, "mean", image.Mean is null ? null : string.Join(',', image.Mean.Select(m => m.ToString("R", CultureInfo.InvariantCulture))));
        Add(query, "std", image.Std is null ? null : string.Join(',', image.Std.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
        try
        {
            return TensorOptions.Parse(new Parameters(query), FunctionLimits.Default);
        }
        catch (ProblemException e)
        {
            throw new InvalidDataException($"image: {e.Message}", e);
        }
    }

    private static void Add(Dictionary<string, string> query, string name, string? value)
    {
        if (value is not null)
        {
            query[name] = value;
        }
    }

    /// <summary>The manifest's input and output against the graph's: names, element types and shapes; the output's size.</summary>
    private static int CheckAgainst(IGraph graph, OnnxTensorSpec inputSpec, OnnxTensorSpec outputSpec, TensorOptions tensor)
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
        if (!Fits(input.Shape, tensor.Shape))
        {
            throw new InvalidDataException($"the image becomes a [{string.Join(",", tensor.Shape)}] tensor but the graph's input '{inputSpec.Name}' is [{string.Join(",", input.Shape)}].");
        }
        var size = output.Shape.Skip(1).Aggregate(1L, (a, d) => a * Math.Max(d, 1));
        return output.Shape.Skip(1).Any(d => d < 0) || size > 1_000_000
            ? throw new InvalidDataException($"the output's shape [{string.Join(",", output.Shape)}] is open or too large to serve.")
            : (int)size;
    }

    private static bool Fits(int[] graph, int[] ours) =>
        graph.Length == ours.Length && graph.Zip(ours).All(p => p.First < 0 || p.First == p.Second);
}
