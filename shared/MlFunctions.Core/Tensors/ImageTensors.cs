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

    /// <summary>
    /// The options for this image (<see cref="TensorOptions.For"/>: a stride's letterbox trimmed to it), and
    /// where the tensor's pixels come from in the (upright) image: read from the header, no decode.
    /// </summary>
    public static (TensorOptions Options, ImageTransform Transform) Plan(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits)
    {
        using var source = ImageSource.Open(image, limits);
        var fitted = options.For(source.Width, source.Height);
        return (fitted, ImageTransform.From(FitPlan.Create(source.Width, source.Height, fitted.Width, fitted.Height, fitted.Fit, fitted.Resize), source.Width, source.Height));
    }

    /// <summary>Where the tensor's pixels come from in the (upright) image.</summary>
    public static ImageTransform Transform(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits) => Plan(image, options, limits).Transform;

    private delegate T PixelsToTensor<out T>(ReadOnlySpan<byte> pixels, bool bgra, TensorOptions options);

    private static T Render<T>(ReadOnlyMemory<byte> image, TensorOptions options, FunctionLimits limits, PixelsToTensor<T> toTensor)
    {
        using var source = ImageSource.Open(image, limits);
        using var bitmap = ImageRenderer.Render(source, options.Width, options.Height, options.Fit, options.Background, opaque: true, limits, options.Resize);
        return toTensor(bitmap.GetPixelSpan(), bitmap.ColorType == SkiaSharp.SKColorType.Bgra8888, options);
    }
}
