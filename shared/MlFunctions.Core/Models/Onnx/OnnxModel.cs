using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Models.Bundle;
using MlFunctions.Core.Tabular;
using MlFunctions.Core.Tensors;

namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// An ONNX model being served. Images are decoded, oriented and fitted by the same code as
/// /api/tensor, run through the graph, and its output read as labels with probabilities, an
/// embedding, or boxes. JSON records go through the manifest's feature spec (the features function's
/// code) into one [records, features] run. The manifest is checked against the graph when the model
/// is loaded, so a request never meets a mismatch.
/// </summary>
public sealed class OnnxModel : ServedModel, IDisposable
{
    public const string Classification = "image-classification";
    public const string Embedding = "image-embedding";
    public const string Detection = "object-detection";

    private static readonly string[] ImageTasks = [Classification, Embedding, Detection];

    private readonly IGraph _graph;
    private readonly IGraph? _prepare;
    private readonly TensorOptions? _tensor;
    private readonly FeatureVectorizer? _vectorizer;
    private readonly DetectionHead? _detection;
    private readonly Activation _activation;
    private readonly ScoringEngine? _head;
    private readonly int _outputs;

    public OnnxModel(OnnxManifest manifest, IGraph graph, IGraph? prepare = null)
    {
        Manifest = manifest;
        _graph = graph;
        _prepare = prepare;
        if (!ImageTasks.Contains(manifest.Task) && !ModelTask.All.Contains(manifest.Task))
        {
            throw new InvalidDataException($"task '{manifest.Task}' is not one of: {string.Join(", ", ImageTasks.Concat(ModelTask.All))}.");
        }
        if ((manifest.Columns is null && manifest.Input is not { Name.Length: > 0 }) || manifest.Output is not { Name.Length: > 0 })
        {
            throw new InvalidDataException("the manifest needs 'input' (or, for a graph taking a column an input, 'columns') and 'output', each with the graph's tensor names.");
        }
        if ((manifest.Prepare is null) != (prepare is null))
        {
            throw new InvalidDataException("the manifest names a prepare graph and there is none, or there is one it does not name.");
        }
        int[] inputShape;
        if (TakesImages)
        {
            _tensor = OnnxImageOptions.Parse(manifest.Image ?? throw new InvalidDataException($"a {manifest.Task} model needs 'image': how an image becomes its input."));
            inputShape = _tensor.Shape;
            if (manifest.Prepare is { } stage)
            {
                GraphChecks.Check(prepare!, new OnnxTensorSpec(stage.Input), new OnnxTensorSpec(stage.Output), inputShape, "the image becomes a");
            }
        }
        else if (manifest.Columns is null)
        {
            _vectorizer = Vectorizer(manifest.Features ?? throw new InvalidDataException($"a {manifest.Task} model needs 'features' (the fitted feature spec that makes a record its input) or 'columns'."));
            // One row a record; the graph's first dimension may be open (all records in one run) or 1.
            inputShape = [-1, _vectorizer.Width];
        }
        else
        {
            inputShape = [];
        }
        var output = manifest.Columns is { } columns && !TakesImages
            ? GraphChecks.CheckColumns(graph, columns, manifest.Output)
            : GraphChecks.Check(graph, manifest.Input!, manifest.Output, inputShape, TakesImages ? "the image becomes a" : "the records become a");
        _activation = manifest.Head is not null ? Activation.None : manifest.Activation switch
        {
            null => manifest.Task == ModelTask.Binary ? Activation.Sigmoid : Activation.Softmax,
            "softmax" => Activation.Softmax,
            "sigmoid" => Activation.Sigmoid,
            "none" => Activation.None,
            var other => throw new InvalidDataException($"activation '{other}' is not softmax, sigmoid or none."),
        };
        if (manifest.Task == Detection)
        {
            _detection = new DetectionHead(manifest.Detection, Labels(manifest, null), output.Shape);
            return;
        }
        _outputs = GraphChecks.RowSize(output);
        if (manifest.Head is { } head)
        {
            if (manifest.Task != Classification || head.Link is not (ScoringModel.Softmax or ScoringModel.Normalize)
                || head.Linear?.Any(h => h?.Weights is null || h.Weights.Length != _outputs || !h.Weights.All(float.IsFinite) || !float.IsFinite(h.Bias)) == true)
            {
                throw new InvalidDataException($"'head' is for image-classification: linear weights over the graph's {_outputs} values (or trees) per label, and a softmax or normalize link.");
            }
            _head = new ScoringEngine(head, _outputs);
            _outputs = _head.Outputs;
        }
        if (manifest.Task is Classification or ModelTask.Multiclass or ModelTask.Binary)
        {
            var labels = Labels(manifest, manifest.Task == ModelTask.Binary ? 2 : null);
            if (labels.Length != _outputs && !(manifest.Task == ModelTask.Binary && _outputs == 1))
            {
                throw new InvalidDataException($"the graph's output has {_outputs} values but the manifest has {labels.Length} labels.");
            }
        }
        else if (manifest.Task == ModelTask.Regression && _outputs != 1)
        {
            throw new InvalidDataException($"a regression graph gives one value a row, not {_outputs}.");
        }
    }

    public OnnxManifest Manifest { get; }

    public override string Name => Manifest.Name;

    public override string Version => Manifest.Version;

    public override string Task => Manifest.Task;

    /// <summary>Whether the model takes images (its input is an image tensor) rather than JSON records.</summary>
    public bool TakesImages => ImageTasks.Contains(Manifest.Task);

    /// <summary>An image's prediction: top-k labels with probabilities, the embedding, or boxes in the image's pixels.</summary>
    public ImagePrediction Predict(ReadOnlyMemory<byte> image, int? topK, double? threshold, FunctionLimits limits)
    {
        var tensor = _tensor ?? throw ProblemType.UnsupportedMediaType.With($"Model '{Name}' scores JSON records (Content-Type application/json), not images.", "model");
        var options = Manifest.Task == Classification ? FormatOptions.Create(Manifest.Labels!, _activation, topK, threshold) : null;
        if (threshold is { } confidence && (!double.IsFinite(confidence) || confidence is < 0 or > 1))
        {
            throw Parameters.Invalid("threshold", $"{confidence} is not a probability from 0 to 1.");
        }
        var input = ImageTensors.Create(image, tensor, limits);
        if (Manifest.Prepare is { } stage)
        {
            input = _prepare!.Run(stage.Input, tensor.Shape, input, stage.Output).Values;
        }
        var output = _graph.Run(Manifest.Input!.Name, tensor.Shape, input, Manifest.Output.Name);
        return Manifest.Task switch
        {
            Detection => new ImagePrediction(Detections: _detection!.Read(output, ImageTensors.Transform(image, tensor, limits), threshold)),
            Embedding => new ImagePrediction(Embedding: Manifest.Normalize == false ? output.Values : UnitLength(output.Values)),
            _ => new ImagePrediction(Prediction: ScoreFormatter.Format(_head is null ? Array.ConvertAll(output.Values, v => (double)v) : Probabilities(_head, output.Values), options!, 0)),
        };
    }

    /// <summary>A head's probabilities, one per label, for one embedding.</summary>
    public static double[] Probabilities(ScoringEngine head, ReadOnlySpan<float> embedding)
    {
        var probabilities = new double[head.Outputs];
        head.Predict(embedding, probabilities);
        return probabilities;
    }

    /// <summary>Records' predictions (classification) or values (regression), from one run over all of them.</summary>
    public (Prediction[]? Predictions, double[]? Values) Predict(IReadOnlyList<JsonElement> records, int? topK, double? threshold, FunctionLimits limits)
    {
        var scores = Scores(records, limits); // first: an image model refuses records (415) before anything else
        var options = Manifest.Task == ModelTask.Regression ? null : FormatOptions.Create(Labels(Manifest, null), _activation, topK, threshold);
        if (options is null)
        {
            return (null, Array.ConvertAll(scores, v => (double)v));
        }
        var predictions = new Prediction[records.Count];
        var rowScores = new double[_outputs];
        for (var i = 0; i < records.Count; i++)
        {
            for (var j = 0; j < _outputs; j++)
            {
                rowScores[j] = scores[(i * _outputs) + j];
            }
            predictions[i] = ScoreFormatter.Format(rowScores, options, i);
        }
        return (predictions, null);
    }

    /// <summary>The graph's output for the records, a row each, before any formatting (what parity checks compare).</summary>
    public float[] Scores(IReadOnlyList<JsonElement> records, FunctionLimits limits)
    {
        if (TakesImages)
        {
            throw ProblemType.UnsupportedMediaType.With($"Model '{Name}' scores images (Content-Type image/*), not JSON records.", "model");
        }
        if (Manifest.Columns is { } columns)
        {
            FunctionLimits.Budget((long)records.Count * _graph.Inputs.Count, limits.MaxFeatureValues, "MLF_MAX_FEATURE_VALUES", "records",
                $"input values ({records.Count} records x {_graph.Inputs.Count} columns)");
            if (records.Count == 0)
            {
                return [];
            }
            // A graph fixed at one row a run gets a run a record.
            return _graph.Inputs.Values.Any(t => t.Shape[0] == 1) && records.Count > 1
                ? [.. records.SelectMany(r => _graph.Run(ColumnInputs([r], columns), Manifest.Output.Name).Values)]
                : _graph.Run(ColumnInputs(records, columns), Manifest.Output.Name).Values;
        }
        var vectorizer = _vectorizer!;
        FunctionLimits.Budget((long)records.Count * vectorizer.Width, limits.MaxFeatureValues, "MLF_MAX_FEATURE_VALUES", "records",
            $"feature values ({records.Count} records x {vectorizer.Width} features)");
        var width = vectorizer.Width;
        var features = new float[records.Count * width];
        var row = new JsonRecord(vectorizer.Columns);
        for (var i = 0; i < records.Count; i++)
        {
            row.Record = records[i];
            vectorizer.Transform(row, features.AsSpan(i * width, width), i);
        }
        return Run(features, records.Count, width);
    }

    /// <summary>Each graph input a column of the records: text for a string input, numbers (NaN when missing) for the others.</summary>
    private List<GraphInput> ColumnInputs(IReadOnlyList<JsonElement> records, string[] columns)
    {
        var inputs = new List<GraphInput>(_graph.Inputs.Count);
        foreach (var (name, tensor) in _graph.Inputs)
        {
            var named = Array.IndexOf(columns, name) >= 0;
            var cells = new Cell[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                cells[i] = named && records[i].ValueKind == JsonValueKind.Object && records[i].TryGetProperty(name, out var value) ? Cell.FromJson(value) : Cell.Absent;
                if (cells[i].Type == CellType.Invalid)
                {
                    throw ProblemType.InvalidRecord.With($"Record {i}: '{name}' is an object or array, not a value.", name, i);
                }
            }
            int[] shape = [records.Count, 1];
            inputs.Add(tensor.ElementType == "string"
                ? new GraphInput(name, shape, Texts: Array.ConvertAll(cells, c => c.AsCategory() ?? ""))
                : new GraphInput(name, shape, Numbers: Array.ConvertAll(cells, c => c.TryNumber(out var n) ? n : c.TryBool(out var b) ? (b ? 1 : 0) : tensor.ElementType is "float32" or "double" ? double.NaN : 0)));
        }
        return inputs;
    }

    public void Dispose()
    {
        _graph.Dispose();
        _prepare?.Dispose();
    }

    /// <summary>All rows in one run when the graph's first dimension is open, else a run a row.</summary>
    private float[] Run(float[] features, int rows, int width)
    {
        if (_graph.Inputs[Manifest.Input!.Name].Shape[0] < 0)
        {
            return _graph.Run(Manifest.Input.Name, [rows, width], features, Manifest.Output.Name).Values;
        }
        var scores = new float[rows * _outputs];
        for (var i = 0; i < rows; i++)
        {
            _graph.Run(Manifest.Input.Name, [1, width], features[(i * width)..((i + 1) * width)], Manifest.Output.Name).Values.CopyTo(scores, i * _outputs);
        }
        return scores;
    }

    private static string[] Labels(OnnxManifest manifest, int? count)
    {
        var labels = manifest.Labels is { Length: > 0 } l ? l : throw new InvalidDataException($"a {manifest.Task} model needs 'labels'.");
        if (labels.Any(string.IsNullOrEmpty) || labels.Distinct(StringComparer.Ordinal).Count() != labels.Length)
        {
            throw new InvalidDataException("labels must be distinct and not empty.");
        }
        return count is { } n && labels.Length != n ? throw new InvalidDataException($"a {manifest.Task} model has {n} labels, not {labels.Length}.") : labels;
    }

    private static FeatureVectorizer Vectorizer(FeatureSpec spec)
    {
        try
        {
            return new FeatureVectorizer(spec);
        }
        catch (ProblemException e)
        {
            throw new InvalidDataException($"features: {e.Message}", e);
        }
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
}

/// <summary>What an image model answers: one of a prediction, an embedding, or detections.</summary>
public sealed record ImagePrediction(Prediction? Prediction = null, float[]? Embedding = null, Detection[]? Detections = null);
