namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// models/&lt;model&gt;/&lt;version&gt;/model.json: an ONNX graph (model.onnx beside it) and how to serve it: the
/// input and output it is run through, how an image becomes its input, what its output means, and
/// where it came from. Written last, so a version is complete once it is visible.
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

    /// <summary>"image-classification" (labels and probabilities) or "image-embedding" (a vector).</summary>
    public required string Task { get; init; }

    /// <summary>
    /// A graph run before the model's own on the image tensor (prepare.onnx beside model.onnx), for models
    /// that ship their preprocessing as a graph, as ML.NET's pretrained backbones do.
    /// </summary>
    public OnnxStage? Prepare { get; init; }

    public required OnnxTensorSpec Input { get; init; }

    public required OnnxTensorSpec Output { get; init; }

    /// <summary>How an image becomes the input: the tensor function's options.</summary>
    public required OnnxImageInput Image { get; init; }

    /// <summary>image-classification: one label per output value, in order.</summary>
    public string[]? Labels { get; init; }

    /// <summary>image-classification: softmax (logits), sigmoid or none (probabilities already).</summary>
    public string? Activation { get; init; }

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
}

/// <summary>Where a graph came from: its sha256, and a source people can read.</summary>
public sealed record OnnxSource(string Sha256, string? Origin = null);
