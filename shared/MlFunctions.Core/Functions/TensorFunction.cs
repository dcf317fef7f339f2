using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Tensors;

namespace MlFunctions.Core.Functions;

/// <summary>
/// POST /api/tensor: image bytes in, a float32 (or float16, or uint8) tensor out, as little-endian bytes
/// with the shape in X-Tensor-Shape, or as JSON when asked for with ?output=json or Accept:
/// application/json. Several images as multipart/form-data (curl -F image=@a.jpg -F image=@b.jpg) give
/// one [N, ...] tensor, in the parts' order.
/// </summary>
public sealed class TensorFunction(FunctionLimits limits) : IHttpFunction
{
    /// <summary>The most images one request may send (the tensor budget bounds their size).</summary>
    public const int MaxImages = 256;

    public Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Parameters(request.Query);
        var options = TensorOptions.Parse(parameters, limits);
        var acceptsJson = request.Header("Accept")?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true;
        var json = parameters.Choice("output", acceptsJson, ("json", true), ("binary", false));
        var dtype = parameters.Choice("dtype", "float32", ("float32", "float32"), ("float16", "float16"), ("uint8", "uint8"));
        if (dtype == "uint8")
        {
            // Raw pixel values, for models that normalise inside the graph (YOLO exports, many quantised ones).
            if (new[] { "scale", "mean", "std", "preset" }.FirstOrDefault(n => parameters.Text(n) is not null) is { } normalisation)
            {
                throw Parameters.Invalid("dtype", $"uint8 is the raw pixel values: '{normalisation}' does not apply to it.");
            }
            options = options with { Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] };
        }
        var batch = MultipartForm.Is(request);
        var images = batch ? Images(request) : [request.Body];
        if (batch && options.Stride is not null)
        {
            throw Parameters.Invalid("stride", "a stride gives each image a size of its own; one [N, ...] tensor needs one size (leave stride out, or send one image).");
        }

        // The answer's size is known before any image is decoded: 4, 2 or 1 bytes a value, or up to 16 characters as JSON.
        var elements = 3L * options.Width * options.Height;
        FunctionLimits.Budget(elements * images.Count, limits.MaxTensorElements, "MLF_MAX_TENSOR_ELEMENTS", batch ? "body" : "width",
            $"tensor elements ({images.Count}x3x{options.Height}x{options.Width})");
        var size = dtype switch { "float16" => 2, "uint8" => 1, _ => 4 };
        FunctionLimits.Budget(elements * images.Count * (json ? 16 : size), limits.MaxResponseBytes, "MLF_MAX_RESPONSE_BYTES", "width",
            json ? "answer bytes as JSON (ask for output=binary)" : "answer bytes");
        var layout = options.Layout == TensorLayout.Nchw ? "nchw" : "nhwc";
        var channels = options.Bgr ? "bgr" : "rgb";

        var plans = images.Select(image => ImageTensors.Plan(image, options, limits)).ToArray();
        var shape = plans[0].Options.Shape;
        shape[0] = images.Count;
        if (json)
        {
            var values = new float[elements * images.Count];
            for (var i = 0; i < images.Count; i++)
            {
                ImageTensors.Create(images[i], plans[i].Options, limits).CopyTo(values, i * elements);
            }
            if (dtype == "float16")
            {
                // The values as a float16 reader would see them.
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(Half)values[i];
                }
            }
            var document = new TensorDocument(shape, layout, channels, values, batch ? null : plans[0].Transform, dtype == "float32" ? null : dtype,
                batch ? [.. plans.Select(p => p.Transform)] : null);
            return Task.FromResult(FunctionResponse.Json(document, CoreJsonContext.Web.TensorDocument));
        }
        var bytes = new byte[elements * images.Count * size];
        for (var i = 0; i < images.Count; i++)
        {
            var one = dtype == "float32" ? ImageTensors.CreateLittleEndian(images[i], plans[i].Options, limits) : Narrow(ImageTensors.Create(images[i], plans[i].Options, limits), dtype);
            one.CopyTo(bytes, i * elements * size);
        }
        return Task.FromResult(FunctionResponse.Bytes("application/octet-stream", bytes, new Dictionary<string, string>
        {
            ["X-Tensor-Shape"] = string.Join(',', shape),
            ["X-Tensor-Dtype"] = dtype,
            ["X-Tensor-Layout"] = layout,
            ["X-Tensor-Channels"] = channels,
            // A batch's transforms in the images' order, separated by " | ".
            ["X-Tensor-Transform"] = string.Join(" | ", plans.Select(p => p.Transform.ToHeader())),
        }));
    }

    /// <summary>The form's parts, each an image (any field name), in order; an empty part is a 400 naming it.</summary>
    private static List<ReadOnlyMemory<byte>> Images(FunctionRequest request)
    {
        var parts = MultipartForm.Read(request, MaxImages);
        if (parts.Count == 0)
        {
            throw ProblemType.EmptyBody.With("The form has no parts: send each image as one (curl -F image=@photo.jpg).", "body");
        }
        var images = new List<ReadOnlyMemory<byte>>(parts.Count);
        foreach (var part in parts)
        {
            if (part.Content.IsEmpty)
            {
                throw ProblemType.EmptyBody.With($"Part {images.Count} ('{part.FileName ?? part.Name}') is empty.", $"body[{images.Count}]");
            }
            images.Add(part.Content);
        }
        return images;
    }

    /// <summary>float16 (little-endian) or uint8 bytes of the values; uint8 values are whole pixel values already.</summary>
    private static byte[] Narrow(float[] values, string dtype)
    {
        if (dtype == "uint8")
        {
            var pixels = new byte[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                pixels[i] = (byte)values[i];
            }
            return pixels;
        }
        var halves = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(halves.AsSpan(i * 2), (Half)values[i]);
        }
        return halves;
    }
}
