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

        // The answer's size is known before the image is decoded: 4 bytes a value, or up to 16 characters as JSON.
        var elements = 3L * options.Width * options.Height;
        FunctionLimits.Budget(elements * (json ? 16 : 4), limits.MaxResponseBytes, "MLF_MAX_RESPONSE_BYTES", "width",
            json ? "answer bytes as JSON (ask for output=binary)" : "answer bytes");
        var layout = options.Layout == TensorLayout.Nchw ? "nchw" : "nhwc";
        var channels = options.Bgr ? "bgr" : "rgb";
        var transform = ImageTensors.Transform(request.Body, options, limits);
        if (json)
        {
            var document = new TensorDocument(options.Shape, layout, channels, ImageTensors.Create(request.Body, options, limits), transform);
            return Task.FromResult(FunctionResponse.Json(document, CoreJsonContext.Web.TensorDocument));
        }
        return Task.FromResult(FunctionResponse.Bytes("application/octet-stream", ImageTensors.CreateLittleEndian(request.Body, options, limits), new Dictionary<string, string>
        {
            ["X-Tensor-Shape"] = string.Join(',', options.Shape),
            ["X-Tensor-Dtype"] = "float32",
            ["X-Tensor-Layout"] = layout,
            ["X-Tensor-Channels"] = channels,
            ["X-Tensor-Transform"] = transform.ToHeader(),
        }));
    }
}
