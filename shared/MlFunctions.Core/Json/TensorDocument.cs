namespace MlFunctions.Core.Json;

/// <summary>A tensor as JSON: its shape, its values in row-major order, and where its pixels came from in the image (to map boxes back).</summary>
public sealed record TensorDocument(int[] Shape, string Layout, string Channels, float[] Data, Imaging.ImageTransform? Transform = null);
