using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Tensors;

/// <summary>Encoded image to tensor: the same decode, orientation and fit as resize, then normalisation.</summary>
public static class ImageTensors
{
    public static float[] Create(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits)
    {
        using var source = ImageSource.Open(image, limits);
        using var bitmap = ImageRenderer.Render(source, options.Width, options.Height, options.Fit, options.Background, opaque: true, limits);
        return TensorWriter.FromPixels(bitmap.GetPixelSpan(), bitmap.ColorType == SkiaSharp.SKColorType.Bgra8888, options);
    }
}
