namespace MlFunctions.Core.Imaging;

/// <summary>An encoded result of <see cref="ImageResizer.Resize"/>.</summary>
public sealed record ResizedImage(byte[] Bytes, ImageFormat Format, string ContentType, int Width, int Height);
