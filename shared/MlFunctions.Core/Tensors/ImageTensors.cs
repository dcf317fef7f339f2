using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Tensors;

/// <summary>Encoded image to tensor: the same decode, orientation and fit as resize, then normalisation.</summary>
public static class ImageTensors
{
    /// <summary>The tensor as floats (for JSON answers and in-process use).</summary>
    public static float[] Create(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits) =>
        Render(image, options, limits, TensorWriter.FromPixels);

    /// <summary>The tensor as little-endian float32 bytes (the binary answer).</summary>
    public static byte[] CreateLittleEndian(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits) =>
        Render(image, options, limits, TensorWriter.FromPixelsLittleEndian);

    /// <summary>Where the tensor's pixels come from in the (upright) image: read from the header, no decode.</summary>
    public static ImageTransform Transform(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits)
    {
        using var source = ImageSource.Open(image, limits);
        return ImageTransform.From(FitPlan.Create(source.Width, source.Height, options.Width, options.Height, options.Fit, options.Resize), source.Width, source.Height);
    }

    private delegate T PixelsToTensor<out T>(ReadOnlySpan<byte> pixels, bool bgra, TensorOptions options);

    private static T Render<T>(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits, PixelsToTensor<T> toTensor)
    {
        using var source = ImageSource.Open(image, limits);
        using var bitmap = ImageRenderer.Render(source, options.Width, options.Height, options.Fit, options.Background, opaque: true, limits, options.Resize);
        return toTensor(bitmap.GetPixelSpan(), bitmap.ColorType == SkiaSharp.SKColorType.Bgra8888, options);
    }
}
