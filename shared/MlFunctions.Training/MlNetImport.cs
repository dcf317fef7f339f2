using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Training;

/// <summary>
/// A user's own ML.NET model.zip made an ONNX model: loaded with ML.NET, converted with
/// Microsoft.ML.OnnxConverter, and served only if the converted graph gives ML.NET's own scores on the
/// sample rows to within <see cref="Tolerance"/>. A pipeline with a transform the converter cannot
/// export is refused naming that transform; nothing half-converted is ever returned.
/// </summary>
public static class MlNetImport
{
    public const double Tolerance = 1e-5;

    /// <summary>The checked manifest and graph, ready for <see cref="OnnxRegistration"/>; an <see cref="InvalidDataException"/> saying why not.</summary>
    public static (OnnxManifest Manifest, byte[] Graph) Convert(Stream modelZip, string samplesCsv, MlNetImportManifest import, string name, IGraphRunner runner, FunctionLimits limits, Action<string> log)
    {
        if (!ModelTask.All.Contains(import.Task))
        {
            throw new InvalidDataException($"'task' is '{import.Task}'; an ML.NET model is one of: {string.Join(", ", ModelTask.All)}.");
        }
        var ml = new MLContext(0);
        ITransformer model;
        DataViewSchema inputs;
        try
        {
            model = ml.Model.Load(modelZip, out inputs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"model.zip is not an ML.NET model ML.NET {typeof(MLContext).Assembly.GetName().Version} can load: {e.Message}", e);
        }
        var columns = import.Columns is { Length: > 0 } named ? named : throw new InvalidDataException("'columns' must name the model's input columns, the fields a record gives.");
        if (columns.FirstOrDefault(c => inputs.GetColumnOrNull(c) is null) is { } unknown)
        {
            throw new InvalidDataException($"the model has no input column '{unknown}'; its inputs are: {string.Join(", ", inputs.Select(c => c.Name))}.");
        }
        var samples = LoadSamples(ml, inputs, samplesCsv);
        var score = import.Score ?? (import.Task == ModelTask.Binary ? "Probability" : "Score");
        var outputSchema = model.GetOutputSchema(inputs);
        if (outputSchema.GetColumnOrNull(score) is not { } scoreColumn)
        {
            throw new InvalidDataException($"the model has no output column '{score}'; its outputs are: {string.Join(", ", outputSchema.Select(c => c.Name))}.");
        }

        var graph = ConvertOrNameTheCulprit(ml, model, samples);
        log($"Converted to ONNX: {graph.Length:N0} bytes");
        var manifest = new OnnxManifest
        {
            Name = name,
            Version = import.Version ?? "",
            Promote = import.Promote,
            Task = import.Task,
            Columns = columns,
            Output = new OnnxTensorSpec(score + ".output"),
            Labels = import.Labels ?? Labels(scoreColumn, import.Task),
            Activation = "none",
            Source = new OnnxSource("", "ML.NET model.zip, converted by Microsoft.ML.OnnxConverter " + typeof(OnnxExportExtensions).Assembly.GetName().Version?.ToString(3)),
        };
        var difference = Parity(model, samples, scoreColumn, manifest, graph, samplesCsv, inputs, runner, limits);
        log($"Checked against ML.NET on the sample rows: largest difference {difference:G3} (at most {Tolerance:G})");
        return (manifest with { Metrics = new Dictionary<string, double> { ["mlnetMaxAbsDifference"] = difference } }, graph);
    }

    private static IDataView LoadSamples(MLContext ml, DataViewSchema inputs, string csv)
    {
        string[] header;
        using (var table = CsvTable.Open(csv))
        {
            header = [.. table.Header.Select(h => h.Trim())];
        }
        var loaded = new List<TextLoader.Column>();
        foreach (var column in inputs)
        {
            var index = Array.IndexOf(header, column.Name);
            var kind = column.Type switch
            {
                TextDataViewType => DataKind.String,
                BooleanDataViewType => DataKind.Boolean,
                NumberDataViewType n when n == NumberDataViewType.Single => DataKind.Single,
                NumberDataViewType n when n == NumberDataViewType.Double => DataKind.Double,
                NumberDataViewType n when n == NumberDataViewType.Int32 => DataKind.Int32,
                NumberDataViewType n when n == NumberDataViewType.Int64 => DataKind.Int64,
                _ => throw new InvalidDataException($"input column '{column.Name}' is {column.Type}: a record field gives one number, boolean or text."),
            };
            loaded.Add(new TextLoader.Column(column.Name, kind, index >= 0 ? index : throw new InvalidDataException($"the sample rows have no column '{column.Name}', an input of the model.")));
        }
        return ml.Data.LoadFromTextFile(csv, new TextLoader.Options { Columns = [.. loaded], HasHeader = true, Separators = [','], AllowQuoting = true });
    }

    /// <summary>The ONNX graph; when the converter fails, the first transform (of the chain, and of a chain inside it) that cannot be exported is named.</summary>
    private static byte[] ConvertOrNameTheCulprit(MLContext ml, ITransformer model, IDataView samples)
    {
        try
        {
            return ConvertOne(ml, model, samples);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InvalidDataException))
        {
            throw new InvalidDataException($"the pipeline cannot be converted to ONNX: its transform {Culprit(ml, model, samples)} has no ONNX export ({e.GetType().Name}: {e.Message}); nothing was registered.", e);
        }
    }

    private static byte[] ConvertOne(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, stream);
        return stream.ToArray();
    }

    private static string Culprit(MLContext ml, ITransformer model, IDataView data)
    {
        if (model is not IEnumerable<ITransformer> chain)
        {
            return Describe(model);
        }
        var parts = chain.ToArray();
        var input = data;
        foreach (var part in parts)
        {
            try
            {
                ConvertOne(ml, part, input);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Culprit(ml, part, input);
            }
            input = part.Transform(input);
        }
        return Describe(model);
    }

    // The transformer's type, with the estimator it is nested in (FeaturizeText's is TextFeaturizingEstimator.Transformer).
    private static string Describe(ITransformer transform)
    {
        static string Plain(Type type) => type.Name.Contains('`', StringComparison.Ordinal) ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;
        var type = transform.GetType();
        return $"'{(type.DeclaringType is { } outer ? Plain(outer) + "." : "")}{Plain(type)}'";
    }

    private static string[]? Labels(DataViewSchema.Column score, string task)
    {
        if (task == ModelTask.Binary)
        {
            return ["false", "true"];
        }
        if (task != ModelTask.Multiclass || score.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
        {
            return null;
        }
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    /// <summary>The largest difference between ML.NET's scores and the served graph's on the sample rows; over the tolerance is an error.</summary>
    private static double Parity(ITransformer model, IDataView samples, DataViewSchema.Column score, OnnxManifest manifest, byte[] graph,
        string csv, DataViewSchema inputs, IGraphRunner runner, FunctionLimits limits)
    {
        var expected = new List<float>();
        var scored = model.Transform(samples);
        using (var cursor = scored.GetRowCursor([scored.Schema[score.Name]]))
        {
            if (score.Type is VectorDataViewType)
            {
                var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema[score.Name]);
                VBuffer<float> values = default;
                while (cursor.MoveNext())
                {
                    getter(ref values);
                    expected.AddRange(values.DenseValues());
                }
            }
            else
            {
                var getter = cursor.GetGetter<float>(scored.Schema[score.Name]);
                float value = 0;
                while (cursor.MoveNext())
                {
                    getter(ref value);
                    expected.Add(value);
                }
            }
        }
        var records = Records(csv, inputs, manifest.Columns!);
        using var served = new OnnxModel(manifest, runner.Load(graph));
        var actual = served.Scores(records, limits);
        if (actual.Length != expected.Count || records.Count == 0)
        {
            throw new InvalidDataException($"the converted graph gives {actual.Length} scores for {records.Count} sample rows where ML.NET gives {expected.Count}; not served.");
        }
        var worst = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var difference = Math.Abs(actual[i] - (double)expected[i]);
            if (double.IsNaN(difference) || difference > Tolerance)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"the converted graph differs from ML.NET by {difference:G3} on sample row {(i / Math.Max(1, actual.Length / records.Count)) + 1} (at most {Tolerance:G} allowed); not served."));
            }
            worst = Math.Max(worst, difference);
        }
        return worst;
    }

    /// <summary>The sample rows as JSON records, as a client would send them: numbers as numbers, text as text, booleans as booleans.</summary>
    private static List<JsonElement> Records(string csv, DataViewSchema inputs, string[] columns)
    {
        using var table = CsvTable.Open(csv);
        var records = new List<JsonElement>();
        foreach (var row in table.Rows(columns))
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                for (var c = 0; c < columns.Length; c++)
                {
                    var cell = row[c];
                    var type = inputs[columns[c]].Type;
                    if (cell.IsMissing && type is not TextDataViewType)
                    {
                        writer.WriteNull(columns[c]);
                    }
                    else if (type is TextDataViewType)
                    {
                        writer.WriteString(columns[c], cell.Text ?? "");
                    }
                    else if (type is BooleanDataViewType)
                    {
                        writer.WriteBoolean(columns[c], cell.TryBool(out var b) && b);
                    }
                    else
                    {
                        writer.WriteNumber(columns[c], cell.TryNumber(out var n) ? n : double.NaN);
                    }
                }
                writer.WriteEndObject();
            }
            records.Add(JsonDocument.Parse(buffer.ToArray()).RootElement.Clone());
        }
        return records;
    }
}

/// <summary>
/// What a user says about their model.zip: its task, the input columns a record gives, the score column
/// (Score; Probability for binary), and optionally its labels, version and whether to promote it.
/// </summary>
public sealed record MlNetImportManifest
{
    public required string Task { get; init; }

    public string[]? Columns { get; init; }

    public string? Score { get; init; }

    public string[]? Labels { get; init; }

    public string? Version { get; init; }

    public bool? Promote { get; init; }
}

/// <summary>The import manifest's JSON (camelCase, as every document of ours).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(MlNetImportManifest))]
public sealed partial class MlNetImportJson : System.Text.Json.Serialization.JsonSerializerContext;
