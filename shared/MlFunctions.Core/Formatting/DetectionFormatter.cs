using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Formatting;

/// <summary>One detected object: its label and class, its score, and its box as [x1, y1, x2, y2].</summary>
public sealed record Detection(string Label, int Class, double Score, double[] Box);

/// <summary>How a detection head's output is read and filtered.</summary>
/// <param name="Cxcywh">Boxes are [centre x, centre y, width, height] rather than [x1, y1, x2, y2].</param>
/// <param name="Normalized">Box coordinates are fractions of the input's width and height.</param>
/// <param name="Confidence">Boxes scoring below it are dropped before NMS.</param>
/// <param name="Iou">Of two boxes overlapping more than this (intersection over union), the lower-scoring one is dropped.</param>
/// <param name="ClassAgnostic">NMS across classes; otherwise only boxes of the same class suppress each other.</param>
public sealed record DetectionOptions(string[] Labels, bool Cxcywh, bool Normalized, double Confidence, double Iou, int MaxDetections, bool ClassAgnostic);

/// <summary>
/// Detection post-processing, as YOLO-style heads need it: each box's best class and score, the
/// confidence threshold, non-maximum suppression (per class or across classes), the most confident
/// boxes first, and the boxes mapped back to the original image's pixels through the transform the
/// tensor function reported (a letterbox's padding and scale, or a crop's offset), clipped to it.
/// </summary>
public static class DetectionFormatter
{
    /// <param name="boxes">N rows of 4 coordinates.</param>
    /// <param name="scores">N rows of one score per class.</param>
    public static Detection[] Format(double[][] boxes, double[][] scores, DetectionOptions options, ImageTransform? transform)
    {
        var candidates = new List<(int Index, int Class, double Score, double X1, double Y1, double X2, double Y2)>();
        for (var i = 0; i < boxes.Length; i++)
        {
            var (best, score) = Best(scores[i]);
            if (score < options.Confidence)
            {
                continue;
            }
            var (x1, y1, x2, y2) = Corners(boxes[i], options, transform, i);
            candidates.Add((i, best, score, x1, y1, x2, y2));
        }
        // Highest score first; ties keep the head's order, so the answer is the same every time.
        candidates.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        var kept = new List<(int Index, int Class, double Score, double X1, double Y1, double X2, double Y2)>();
        foreach (var candidate in candidates)
        {
            if (kept.Count == options.MaxDetections)
            {
                break;
            }
            var suppressed = false;
            foreach (var other in kept)
            {
                if ((options.ClassAgnostic || other.Class == candidate.Class)
                    && Iou(candidate.X1, candidate.Y1, candidate.X2, candidate.Y2, other.X1, other.Y1, other.X2, other.Y2) > options.Iou)
                {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed)
            {
                kept.Add(candidate);
            }
        }
        return [.. kept.Select(k => new Detection(options.Labels[k.Class], k.Class, k.Score, Map(k.X1, k.Y1, k.X2, k.Y2, transform)))];
    }

    private static (int Class, double Score) Best(double[] scores)
    {
        var best = 0;
        for (var c = 1; c < scores.Length; c++)
        {
            if (scores[c] > scores[best])
            {
                best = c;
            }
        }
        return (best, scores[best]);
    }

    /// <summary>The box as corners in the model input's pixels.</summary>
    private static (double X1, double Y1, double X2, double Y2) Corners(double[] box, DetectionOptions options, ImageTransform? transform, int row)
    {
        double a = box[0], b = box[1], c = box[2], d = box[3];
        if (options.Normalized)
        {
            var (w, h) = transform is null
                ? throw Parameters.Invalid("normalized", "normalised boxes need the transform (the input's size) to be mapped to pixels.")
                : (transform.InputWidth, transform.InputHeight);
            (a, b, c, d) = (a * w, b * h, c * w, d * h);
        }
        var corners = options.Cxcywh ? (a - (c / 2), b - (d / 2), a + (c / 2), b + (d / 2)) : (a, b, c, d);
        return corners.Item3 < corners.Item1 || corners.Item4 < corners.Item2
            ? throw ProblemType.InvalidScores.With($"Box {row} has its second corner before its first: [{string.Join(", ", box)}].", $"boxes[{row}]", row)
            : corners;
    }

    private static double Iou(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2)
    {
        var w = Math.Min(ax2, bx2) - Math.Max(ax1, bx1);
        var h = Math.Min(ay2, by2) - Math.Max(ay1, by1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }
        var intersection = w * h;
        var union = ((ax2 - ax1) * (ay2 - ay1)) + ((bx2 - bx1) * (by2 - by1)) - intersection;
        return union > 0 ? intersection / union : 0;
    }

    /// <summary>Corners in the original image's pixels (clipped to it), or as they are without a transform.</summary>
    private static double[] Map(double x1, double y1, double x2, double y2, ImageTransform? transform)
    {
        if (transform is null)
        {
            return [x1, y1, x2, y2];
        }
        var (ox1, oy1) = transform.ToOriginal(x1, y1);
        var (ox2, oy2) = transform.ToOriginal(x2, y2);
        return
        [
            Math.Round(Math.Clamp(ox1, 0, transform.OriginalWidth), 2), Math.Round(Math.Clamp(oy1, 0, transform.OriginalHeight), 2),
            Math.Round(Math.Clamp(ox2, 0, transform.OriginalWidth), 2), Math.Round(Math.Clamp(oy2, 0, transform.OriginalHeight), 2),
        ];
    }
}
