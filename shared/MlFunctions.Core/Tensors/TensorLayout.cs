namespace MlFunctions.Core.Tensors;

/// <summary>Axis order of an image tensor with a batch of one.</summary>
public enum TensorLayout
{
    /// <summary>[1, channels, height, width], as PyTorch and most ONNX vision models take.</summary>
    Nchw,

    /// <summary>[1, height, width, channels], as TensorFlow takes.</summary>
    Nhwc,
}
