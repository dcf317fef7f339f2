namespace MlFunctions.Core.Json;

/// <summary>A tensor as JSON: its shape and its values in row-major order.</summary>
public sealed record TensorDocument(int[] Shape, string Layout, string Channels, float[] Data);
