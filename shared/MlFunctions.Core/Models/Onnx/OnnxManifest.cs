using MlFunctions.Core.Features;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// models/&lt;model&gt;/&lt;version&gt;/model.json: an ONNX graph (model.onnx beside it) and how to serve it: the
/// input and output it is run through, how an image (or a JSON record) becomes its input, what its
/// output means, and where it came from. Written last, so a version is complete once it is visible.
/// </summary>
public sealed record OnnxManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary>The model (set from the key when a model is imported).</summary>
    public string Name { get; init; } = "";

    /// <summary>The version (when an import leaves it out: "v-" and the graph's sha256, shortened).</summary>
    public string Version { get; init; } = "";

    /// <summary>Imports: make this version the champion even if the model has one.</summary>
    public bool? Promote { get; init; }

    /// <summary>
    /// Images: "image-classification" (labels and probabilities), "image-embedding" (a vector) or
    /// "object-detection" (boxes). JSON records, as bundles: "multiclass", "binary" or "regression".
    /// </summary>
    public required string Task { get; init; }

    /// <summary>
    /// A graph run before the model's own on the image tensor (prepare.onnx beside model.onnx), for models
    /// that ship their preprocessing as a graph, as ML.NET's pretrained backbones do.
    /// </summary>
    public OnnxStage? Prepare { get; init; }

    /// <summary>The graph's one input (every mode but <see cref="Columns"/>).</summary>
    public OnnxTensorSpec? Input { get; init; }

    public required OnnxTensorSpec Output { get; init; }

    /// <summary>Image tasks: how an image becomes the input, the tensor function's options.</summary>
    public OnnxImageInput? Image { get; init; }

    /// <summary>
    /// Record tasks, for a graph that takes a column an input (ML.NET pipelines converted to ONNX): the
    /// record's fields, each fed to the graph input of the same name, one value a row. Graph inputs not
    /// named (a label column the pipeline carries) are fed empty text or 0; a missing number is NaN,
    /// which ML.NET's transforms read as missing.
    /// </summary>
    public string[]? Columns { get; init; }

    /// <summary>Record tasks: the fitted feature spec (as the features function takes it) that makes a record the input's row.</summary>
    public FeatureSpec? Features { get; init; }

    /// <summary>Classification and detection: the labels of the output's classes, in order (binary: [negative, positive]).</summary>
    public string[]? Labels { get; init; }

    /// <summary>Classification: softmax (logits), sigmoid or none (probabilities already).</summary>
    public string? Activation { get; init; }

    /// <summary>object-detection: how the output is laid out and filtered.</summary>
    public OnnxDetectionOutput? Detection { get; init; }

    /// <summary>Set at registration: the graph optimised once (model.optimized.onnx, model.native.onnx), and what can load them.</summary>
    public OnnxOptimized? Optimized { get; init; }

    /// <summary>
    /// image-classification: a head over the graph's output (an embedding), as a bundle's model is written:
    /// linear weights or tree ensembles, one output per label, and the link (softmax or normalize) that
    /// makes them probabilities. How a classifier retrained on a backbone's features is served: the
    /// backbone through ONNX Runtime and the head beside it.
    /// </summary>
    public ScoringModel? Head { get; init; }

    /// <summary>image-embedding: scale the vector to unit length, so that a dot product is the cosine similarity.</summary>
    public bool? Normalize { get; init; }

    public OnnxSource? Source { get; init; }

    public Dictionary<string, double>? Metrics { get; init; }
}

/// <summary>A graph of its own between the image tensor and the model: its input and output by name.</summary>
public sealed record OnnxStage(string Input, string Output);

/// <summary>A graph input or output by name, and the shape the manifest expects.</summary>
public sealed record OnnxTensorSpec(string Name, int[]? Shape = null);

/// <summary>The tensor options an image is prepared with (the tensor function's, so serving and /api/tensor agree; its defaults too).</summary>
/// <remarks>Nullable, not initialised: source-generated JSON sets every init property, so an initialiser's default would be lost.</remarks>
public sealed record OnnxImageInput
{
    /// <summary>224 when left out.</summary>
    public int? Width { get; init; }

    /// <summary>224 when left out.</summary>
    public int? Height { get; init; }

    /// <summary>cover (the default), fill or pad.</summary>
    public string? Fit { get; init; }

    /// <summary>1/255 when left out.</summary>
    public float? Scale { get; init; }

    public float[]? Mean { get; init; }

    public float[]? Std { get; init; }

    /// <summary>nchw (the default) or nhwc.</summary>
    public string? Layout { get; init; }

    /// <summary>rgb (the default) or bgr.</summary>
    public string? Channels { get; init; }

    /// <summary>The padding colour of fit=pad (a letterbox), as #rrggbb: YOLO models are trained with #727272.</summary>
    public string? Background { get; init; }
}

/// <summary>
/// A detection head's output: its layout, box format and the filtering (the format function's
/// detection options). Layouts: "yolov8" ([1, 4 + classes, boxes], a row per coordinate and class, as
/// Ultralytics exports YOLOv8 and later), "yolov5" ([1, boxes, 5 + classes], objectness after the box,
/// multiplied into the class scores) and "rows" ([1, boxes, 4 + classes]).
/// </summary>
/// <remarks>Nullable, not initialised, as <see cref="OnnxImageInput"/>; the defaults are in <see cref="DetectionHead"/>.</remarks>
public sealed record OnnxDetectionOutput
{
    /// <summary>yolov8 (the default), yolov5 or rows.</summary>
    public string? Layout { get; init; }

    /// <summary>cxcywh (the default for yolov8 and yolov5) or xyxy (the default for rows).</summary>
    public string? Boxes { get; init; }

    /// <summary>Coordinates are fractions of the input's size rather than its pixels.</summary>
    public bool? Normalized { get; init; }

    /// <summary>Boxes scoring below it are dropped (0.25); ?threshold= sets it per request.</summary>
    public double? Confidence { get; init; }

    /// <summary>NMS: the overlap above which the lower-scoring box is dropped (0.45).</summary>
    public double? Iou { get; init; }

    /// <summary>At most this many boxes (100).</summary>
    public int? MaxDetections { get; init; }

    /// <summary>NMS across classes rather than within each (false).</summary>
    public bool? ClassAgnostic { get; init; }
}

/// <summary>
/// The optimised graphs written at registration: <see cref="OnnxFiles.Portable"/> for the
/// <paramref name="Runtime"/> on any CPU, <see cref="OnnxFiles.Native"/> for the <paramref name="Machine"/>
/// (runtime and kind of CPU) that registered it, with their sha256, and the sha256 of the native graph's
/// weights (<see cref="OnnxFiles.NativeWeights"/>; null for versions whose native graph holds them).
/// </summary>
public sealed record OnnxOptimized(string Runtime, string Sha256, string Machine, string NativeSha256, string? WeightsSha256 = null);

/// <summary>Where a graph came from: its sha256, and a source people can read.</summary>
public sealed record OnnxSource(string Sha256, string? Origin = null);
