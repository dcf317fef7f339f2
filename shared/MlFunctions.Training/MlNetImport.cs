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

    /// <summary>Sample rows checked at most: the check holds every row's scores, so a huge file must not buy unbounded memory.</summary>
    public const int MaxSampleRows = 10_000;

    /// <summary>The checked manifest and graph, ready for <see cref="OnnxRegistration"/>; an <see cref="InvalidDataException"/> saying why not.</summary>
    /// <param name="samplesCsv">Sample rows (a CSV with the model's input columns), or null to draw them from the model's input schema (<see cref="DrawSamples"/>).</param>
    public static (OnnxManifest Manifest, byte[] Graph) Convert(Stream modelZip, string? samplesCsv, MlNetImportManifest import, string name, IGraphRunner runner, FunctionLimits limits, Action<string> log)
    {
        if (samplesCsv is null)
        {
            var drawn = Path.Combine(Path.GetTempPath(), $"mlf-mlnet-samples-{Guid.NewGuid():N}.csv");
            try
            {
                return Convert(modelZip, drawn, import, name, runner, limits, log, draw: true);
            }
            finally
            {
                File.Delete(drawn);
            }
        }
        return Convert(modelZip, samplesCsv, import, name, runner, limits, log, draw: false);
    }

    private static (OnnxManifest Manifest, byte[] Graph) Convert(Stream modelZip, string samplesCsv, MlNetImportManifest import, string name, IGraphRunner runner, FunctionLimits limits, Action<string> log, bool draw)
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
        if (draw)
        {
            DrawSamples(inputs, samplesCsv);
            log($"No sample rows given: drew {DrawnRows} from the model's input schema");
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
        var difference = Parity(model, samples, scoreColumn, manifest, graph, runner, limits);
        log($"Checked against ML.NET on the sample rows: largest difference {difference:G3} (at most {Tolerance:G})");
        return (manifest with { Metrics = new Dictionary<string, double> { ["mlnetMaxAbsDifference"] = difference } }, graph);
    }

    private const int DrawnRows = 32;

    /// <summary>
    /// Sample rows drawn from the input schema, seeded: numbers spread over a few orders of magnitude (and
    /// some missing), booleans both ways, text from a few values including the empty one. The model has
    /// not seen most of them, which is the point: the graph must treat unseen values as ML.NET does.
    /// </summary>
    private static void DrawSamples(DataViewSchema inputs, string path)
    {
        var random = new Random(2026);
        string[] texts = ["", "a", "b", "unknown"];
        var lines = new List<string> { string.Join(',', inputs.Select(c => Core.Formatting.PredictionCsv.Field(c.Name))) };
        for (var r = 0; r < DrawnRows; r++)
        {
            lines.Add(string.Join(',', inputs.Select(c => c.Type switch
            {
                TextDataViewType => texts[random.Next(texts.Length)],
                BooleanDataViewType => random.Next(2) == 0 ? "false" : "true",
                NumberDataViewType n when n == NumberDataViewType.Int32 || n == NumberDataViewType.Int64 => random.Next(-100, 1000).ToString(CultureInfo.InvariantCulture),
                _ => random.Next(8) == 0 ? "" : (random.NextDouble() * Math.Pow(10, random.Next(-1, 4))).ToString("R", CultureInfo.InvariantCulture),
            })));
        }
        File.WriteAllLines(path, lines);
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
        IGraphRunner runner, FunctionLimits limits)
    {
        // The records first: they bound the rows (MaxSampleRows) before ML.NET's scores are gathered.
        var records = Records(samples, manifest.Columns!);
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

    /// <summary>
    /// The sample rows as JSON records, as a client would send them, built from the values ML.NET read
    /// (so both sides score exactly the same inputs): numbers as numbers (NaN as null), text as text,
    /// booleans as booleans.
    /// </summary>
    private static List<JsonElement> Records(IDataView samples, string[] columns)
    {
        var schema = samples.Schema;
        var records = new List<JsonElement>();
        using var cursor = samples.GetRowCursor([.. columns.Select(c => schema[c])]);
        var readers = columns.Select(c => Reader(cursor, schema[c])).ToArray();
        while (cursor.MoveNext())
        {
            if (records.Count == MaxSampleRows)
            {
                throw new InvalidDataException($"the sample rows are more than {MaxSampleRows:N0}; a few hundred check a conversion as well.");
            }
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                for (var c = 0; c < columns.Length; c++)
                {
                    writer.WritePropertyName(columns[c]);
                    readers[c](writer);
                }
                writer.WriteEndObject();
            }
            records.Add(JsonDocument.Parse(buffer.ToArray()).RootElement.Clone());
        }
        return records;
    }

    private static Action<Utf8JsonWriter> Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        void Number(Utf8JsonWriter w, double value)
        {
            if (double.IsFinite(value))
            {
                w.WriteNumberValue(value);
            }
            else
            {
                w.WriteNullValue();
            }
        }
        switch (column.Type)
        {
            case TextDataViewType:
                var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                return w => { ReadOnlyMemory<char> v = default; text(ref v); w.WriteStringValue(v.Span); };
            case BooleanDataViewType:
                var flag = cursor.GetGetter<bool>(column);
                return w => { var v = false; flag(ref v); w.WriteBooleanValue(v); };
            case NumberDataViewType n when n == NumberDataViewType.Double:
                var real = cursor.GetGetter<double>(column);
                return w => { double v = 0; real(ref v); Number(w, v); };
            case NumberDataViewType n when n == NumberDataViewType.Int32:
                var small = cursor.GetGetter<int>(column);
                return w => { var v = 0; small(ref v); w.WriteNumberValue(v); };
            case NumberDataViewType n when n == NumberDataViewType.Int64:
                var large = cursor.GetGetter<long>(column);
                return w => { long v = 0; large(ref v); w.WriteNumberValue(v); };
            default:
                var single = cursor.GetGetter<float>(column);
                return w => { float v = 0; single(ref v); Number(w, v); };
        }
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
