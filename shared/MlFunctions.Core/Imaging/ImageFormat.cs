namespace MlFunctions.Core.Imaging;

/// <summary>Output encodings.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Webp,
}
