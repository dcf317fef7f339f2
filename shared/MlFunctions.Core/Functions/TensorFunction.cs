using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Tensors;

namespace MlFunctions.Core.Functions;

/// <summary>
/// POST /api/tensor: image bytes in, a float32 tensor out, as little-endian bytes with the shape in
/// X-Tensor-Shape, or as JSON when asked for with ?output=json or Accept: application/json.
/// </summary>
public sealed class TensorFunction(FunctionLimits limits) : IHttpFunction
{
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

        // The answer's size is known before the image is decoded: 4, 2 or 1 bytes a value, or up to 16 characters as JSON.
        var elements = 3L * options.Width * options.Height;
        var size = dtype switch { "float16" => 2, "uint8" => 1, _ => 4 };
        FunctionLimits.Budget(elements * (json ? 16 : size), limits.MaxResponseBytes, "MLF_MAX_RESPONSE_BYTES", "width",
            json ? "answer bytes as JSON (ask for output=binary)" : "answer bytes");
        var layout = options.Layout == TensorLayout.Nchw ? "nchw" : "nhwc";
        var channels = options.Bgr ? "bgr" : "rgb";
        var transform = ImageTensors.Transform(request.Body, options, limits);
        if (json)
        {
            var values = ImageTensors.Create(request.Body, options, limits);
            if (dtype == "float16")
            {
                // The values as a float16 reader would see them.
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(Half)values[i];
                }
            }
            var document = new TensorDocument(options.Shape, layout, channels, values, transform, dtype == "float32" ? null : dtype);
            return Task.FromResult(FunctionResponse.Json(document, CoreJsonContext.Web.TensorDocument));
        }
        var bytes = dtype == "float32" ? ImageTensors.CreateLittleEndian(request.Body, options, limits) : Narrow(ImageTensors.Create(request.Body, options, limits), dtype);
        return Task.FromResult(FunctionResponse.Bytes("application/octet-stream", bytes, new Dictionary<string, string>
        {
            ["X-Tensor-Shape"] = string.Join(',', options.Shape),
            ["X-Tensor-Dtype"] = dtype,
            ["X-Tensor-Layout"] = layout,
            ["X-Tensor-Channels"] = channels,
            ["X-Tensor-Transform"] = transform.ToHeader(),
        }));
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
