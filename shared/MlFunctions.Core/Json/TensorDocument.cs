namespace MlFunctions.Core.Json;

/// <summary>A tensor as JSON: its shape, its values in row-major order, and where its pixels came from in the image (to map boxes back).</summary>
/// <remarks>
/// <paramref name="Dtype"/> is left out for float32; float16 values are as a float16 reader sees them, uint8
/// values are raw pixels. A batch (several images) has <paramref name="Transforms"/>, one an image, in order, instead of <paramref name="Transform"/>.
/// </remarks>
public sealed record TensorDocument(int[] Shape, string Layout, string Channels, float[] Data, Imaging.ImageTransform? Transform = null, string? Dtype = null,
    Imaging.ImageTransform[]? Transforms = null);
