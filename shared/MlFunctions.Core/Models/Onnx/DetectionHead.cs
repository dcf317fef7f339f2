using MlFunctions.Core.Formatting;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// Reads a detection head's output (<see cref="OnnxDetectionOutput.Layout"/>) into boxes and class
/// scores, and filters them with the format function's detection step: confidence, NMS, and the boxes
/// mapped back to the original image through the tensor's transform.
/// </summary>
internal sealed class DetectionHead
{
    private readonly string _layout;
    private readonly DetectionOptions _options;

    public DetectionHead(OnnxDetectionOutput? output, string[] labels, int[] shape)
    {
        output ??= new OnnxDetectionOutput();
        _layout = output.Layout ?? "yolov8";
        var cxcywh = (output.Boxes ?? (_layout == "rows" ? "xyxy" : "cxcywh")) switch
        {
            "cxcywh" => true,
            "xyxy" => false,
            var other => throw new InvalidDataException($"detection.boxes '{other}' is not xyxy or cxcywh."),
        };
        var extra = _layout switch
        {
            "yolov8" or "rows" => 4,
            "yolov5" => 5,
            var other => throw new InvalidDataException($"detection.layout '{other}' is not yolov8, yolov5 or rows."),
        };
        if (shape.Length != 3 || shape[0] != 1)
        {
            throw new InvalidDataException($"a detection output is [1, rows, columns], not [{string.Join(",", shape)}].");
        }
        var values = _layout == "yolov8" ? shape[1] : shape[2];
        if (values >= 0 && values != extra + labels.Length)
        {
            throw new InvalidDataException($"the {_layout} output has {values} values a box; {labels.Length} labels need {extra + labels.Length}.");
        }
        var confidence = output.Confidence ?? 0.25;
        var iou = output.Iou ?? 0.45;
        var max = output.MaxDetections ?? 100;
        if (confidence is < 0 or > 1 || iou is < 0 or > 1 || max is < 1 or > 10_000)
        {
            throw new InvalidDataException("detection: confidence and iou are from 0 to 1, maxDetections from 1 to 10000.");
        }
        _options = new DetectionOptions(labels, cxcywh, output.Normalized ?? false, confidence, iou, max, output.ClassAgnostic ?? false);
    }

    public Detection[] Read(GraphOutput output, ImageTransform transform, double? confidence)
    {
        var classes = _options.Labels.Length;
        var perBox = _layout == "yolov8" ? output.Shape[1] : output.Shape[2];
        if (output.Shape.Length != 3 || perBox != (_layout == "yolov5" ? 5 : 4) + classes)
        {
            throw new InvalidDataException($"the detection output came back [{string.Join(",", output.Shape)}], not {(_layout == "yolov5" ? 5 : 4) + classes} values a box.");
        }
        var (boxes, scores) = _layout == "yolov8" ? Transposed(output, classes) : Rows(output, classes, _layout == "yolov5");
        var options = confidence is { } c ? _options with { Confidence = c } : _options;
        return DetectionFormatter.Format(boxes, scores, options, transform);
    }

    /// <summary>[1, 4 + classes, n]: coordinate and class c of box i at [c * n + i].</summary>
    private static (double[][] Boxes, double[][] Scores) Transposed(GraphOutput output, int classes)
    {
        var n = output.Shape[2];
        var v = output.Values;
        var boxes = new double[n][];
        var scores = new double[n][];
        for (var i = 0; i < n; i++)
        {
            boxes[i] = [v[i], v[n + i], v[(2 * n) + i], v[(3 * n) + i]];
            scores[i] = new double[classes];
            for (var c = 0; c < classes; c++)
            {
                scores[i][c] = v[((4 + c) * n) + i];
            }
        }
        return (boxes, scores);
    }

    /// <summary>[1, n, 4 (+ objectness) + classes]: a row per box.</summary>
    private static (double[][] Boxes, double[][] Scores) Rows(GraphOutput output, int classes, bool objectness)
    {
        var n = output.Shape[1];
        var width = output.Shape[2];
        var v = output.Values;
        var first = objectness ? 5 : 4;
        var boxes = new double[n][];
        var scores = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var row = i * width;
            boxes[i] = [v[row], v[row + 1], v[row + 2], v[row + 3]];
            var weight = objectness ? v[row + 4] : 1.0;
            scores[i] = new double[classes];
            for (var c = 0; c < classes; c++)
            {
                scores[i][c] = v[row + first + c] * weight;
            }
        }
        return (boxes, scores);
    }
}
