using System.Globalization;
using System.Text;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Formatting;
using MlFunctions.Core.Json;

namespace MlFunctions.Core.Functions;

/// <summary>POST /api/format: scores or logits, labels and options in; labelled predictions out, as JSON or CSV.</summary>
public sealed class FormatFunction(FunctionLimits limits) : IHttpFunction
{
    private const int MaxLabelLength = 1024;

    public Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var body = JsonBody.Read(request, CoreJsonContext.Web.FormatRequest);
        if ((body.Scores is null) == (body.Logits is null))
        {
            throw ProblemType.InvalidJson.With("Send exactly one of 'scores' (probabilities) or 'logits' (raw model outputs).", "scores");
        }
        var logits = body.Logits is not null;
        var rows = body.Scores ?? body.Logits!;
        if (body.Boxes is not null)
        {
            return Task.FromResult(Detections(body, rows, logits));
        }
        if (rows.Length == 0 || rows.Length > limits.MaxRecords)
        {
            throw ProblemType.TooManyRecords.With($"Send from 1 to {limits.MaxRecords} rows of scores, not {rows.Length}.", "scores");
        }
        var width = rows[0]?.Length ?? 0;
        FunctionLimits.Budget((long)rows.Length * Math.Max(1, width), limits.MaxFormatValues, "MLF_MAX_FORMAT_VALUES", "scores", "scores (rows x columns)");
        var options = Options(body, width, logits);
        var predictions = new Prediction[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != width)
            {
                throw ProblemType.InvalidScores.With($"Row {i} has {rows[i]?.Length ?? 0} scores; row 0 has {width}.", "scores", i);
            }
            predictions[i] = ScoreFormatter.Format(rows[i], options, i);
        }
        var acceptsCsv = request.Header("Accept")?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        var csv = Choice("output", body.Output, acceptsCsv, ("json", false), ("csv", true));
        return Task.FromResult(csv
            ? FunctionResponse.Bytes("text/csv; charset=utf-8", Encoding.UTF8.GetBytes(PredictionCsv.Write(predictions, options.TopK, options.Activation == Activation.Sigmoid && width > 1)))
            : FunctionResponse.Json(new PredictionsDocument(predictions), CoreJsonContext.Web.PredictionsDocument));
    }

    private static FormatOptions Options(FormatRequest body, int width, bool logits)
    {
        if (width == 0)
        {
            throw ProblemType.InvalidScores.With("Row 0 has no scores.", "scores", 0);
        }
        // One score column is binary: its labels are [negative, positive].
        var labelCount = width == 1 ? 2 : width;
        var labels = body.Labels ?? Enumerable.Range(0, labelCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        CheckLabels(labels);
        if (labels.Length != labelCount)
        {
            throw Parameters.Invalid("labels", width == 1
                ? $"one score column is binary, so give 2 labels [negative, positive], not {labels.Length}."
                : $"there are {width} score columns, so give {width} labels, not {labels.Length}.");
        }
        var activation = Choice("activation", body.Activation, logits ? (width == 1 ? Activation.Sigmoid : Activation.Softmax) : Activation.None,
            ("none", Activation.None), ("sigmoid", Activation.Sigmoid), ("softmax", Activation.Softmax));
        if (activation == Activation.Softmax && width == 1)
        {
            throw Parameters.Invalid("activation", "softmax over a single score is always 1; use sigmoid for one binary score.");
        }
        return FormatOptions.Create(labels, activation, body.TopK, body.Threshold);
    }

    private FunctionResponse Detections(FormatRequest body, double[][] rows, bool logits)
    {
        var boxes = body.Boxes!;
        if (boxes.Length != rows.Length || boxes.Length > limits.MaxRecords)
        {
            throw ProblemType.InvalidScores.With($"Send one row of class scores per box, at most {limits.MaxRecords}: there are {boxes.Length} boxes and {rows.Length} score rows.", "boxes");
        }
        var classes = rows.Length == 0 ? body.Labels?.Length ?? 1 : rows[0]?.Length ?? 0;
        FunctionLimits.Budget((long)rows.Length * Math.Max(1, classes), limits.MaxFormatValues, "MLF_MAX_FORMAT_VALUES", "scores", "scores (boxes x classes)");
        for (var i = 0; i < boxes.Length; i++)
        {
            if (boxes[i] is not { Length: 4 } box || box.Any(v => !double.IsFinite(v)))
            {
                throw ProblemType.InvalidScores.With($"Box {i} is not 4 finite numbers.", $"boxes[{i}]", i);
            }
            if (rows[i] is null || rows[i].Length != classes || classes == 0)
            {
                throw ProblemType.InvalidScores.With($"Box {i} has {rows[i]?.Length ?? 0} class scores; box 0 has {classes}.", "scores", i);
            }
        }
        var labels = body.Labels ?? Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        CheckLabels(labels);
        if (labels.Length != classes)
        {
            throw Parameters.Invalid("labels", $"there are {classes} class scores a box, so give {classes} labels, not {labels.Length}.");
        }
        var activation = Choice("activation", body.Activation, logits ? Activation.Sigmoid : Activation.None, ("none", Activation.None), ("sigmoid", Activation.Sigmoid));
        var scores = activation == Activation.Sigmoid ? [.. rows.Select(r => r.Select(v => 1 / (1 + Math.Exp(-v))).ToArray())] : rows;
        var options = new DetectionOptions(
            labels,
            Choice("boxFormat", body.BoxFormat, false, ("xyxy", false), ("cxcywh", true)),
            body.Normalized ?? false,
            Probability("threshold", body.Threshold ?? 0.25),
            Probability("iou", body.Iou ?? 0.45),
            body.MaxDetections is null or (>= 1 and <= 10_000) ? body.MaxDetections ?? 100 : throw Parameters.Invalid("maxDetections", "it is a whole number from 1 to 10000."),
            body.ClassAgnostic ?? false);
        if (body.Transform is { } t && !(t.OriginalWidth >= 1 && t.OriginalHeight >= 1 && t.InputWidth >= 1 && t.InputHeight >= 1
            && new[] { t.SourceX, t.SourceY, t.PadX, t.PadY }.All(double.IsFinite)
            && new[] { t.SourceWidth, t.SourceHeight, t.DrawnWidth, t.DrawnHeight }.All(v => double.IsFinite(v) && v > 0)))
        {
            throw Parameters.Invalid("transform", "it is the tensor function's transform record: positive sizes and finite offsets.");
        }
        return FunctionResponse.Json(new DetectionsDocument(DetectionFormatter.Format(boxes, scores, options, body.Transform)), CoreJsonContext.Web.DetectionsDocument);
    }

    private static double Probability(string name, double value) =>
        double.IsFinite(value) && value is >= 0 and <= 1 ? value : throw Parameters.Invalid(name, $"{value} is not a number from 0 to 1.");

    /// <summary>Labels name columns: each is text, not empty, and given once, or a prediction would be ambiguous.</summary>
    private static void CheckLabels(string[] labels)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i++)
        {
            if (string.IsNullOrEmpty(labels[i]) || labels[i].Length > MaxLabelLength || !seen.Add(labels[i]))
            {
                throw Parameters.Invalid($"labels[{i}]", labels[i] is null ? "a label is text, not null."
                    : labels[i].Length == 0 ? "a label is not empty."
                    : labels[i].Length > MaxLabelLength ? $"a label has at most {MaxLabelLength} characters."
                    : $"'{labels[i]}' appears twice; each column needs its own label.");
            }
        }
    }

    private static T Choice<T>(string name, string? value, T fallback, params (string Name, T Value)[] choices) =>
        new Parameters(value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [name] = value }).Choice(name, fallback, choices);
}
