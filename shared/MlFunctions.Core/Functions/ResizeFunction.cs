using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Functions;

/// <summary>POST /api/resize: image bytes in, a resized image out.</summary>
public sealed class ResizeFunction(FunctionLimits limits) : IHttpFunction
{
    public Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken)
    {
        var options = ResizeOptions.Parse(new Parameters(request.Query), limits);
        var image = ImageResizer.Resize(MultipartForm.SingleImage(request), options, limits);
        return Task.FromResult(FunctionResponse.Bytes(image.ContentType, image.Bytes, new Dictionary<string, string>
        {
            ["X-Image-Width"] = image.Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["X-Image-Height"] = image.Height.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
    }
}
