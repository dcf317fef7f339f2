using MlFunctions.Onnx;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Onnx;

/// <summary>The graphs the tests build compute what they say, run by ONNX Runtime.</summary>
public sealed class OnnxGraphsTests
{
    [Fact]
    public void The_classification_head_is_the_channel_means_times_the_weights_plus_the_bias()
    {
        using var graph = new OnnxGraphRunner().Load(OnnxGraphs.ClassificationHead(2, 2, [1, 0, 0, 1, 0, 0], [0.5f, -1]));
        float[] image = [0, 1, 2, 3, /* green */ 4, 4, 4, 4, /* blue */ 9, 9, 9, 9];

        var logits = graph.Run("image", [1, 3, 2, 2], image, "logits").Values;

        Assert.Equal([1.5f + 0.5f, 4 - 1], logits);
        Assert.Equal([1, 3, 2, 2], graph.Inputs["image"].Shape);
    }

    [Fact]
    public void The_fixed_output_ignores_the_image_and_the_linear_model_takes_any_number_of_rows()
    {
        using var fixedOutput = new OnnxGraphRunner().Load(OnnxGraphs.FixedOutput(2, 2, [1, 2, 3], [1, 2, 3, 4, 5, 6]));
        using var linear = new OnnxGraphRunner().Load(OnnxGraphs.Linear(2, [1, 2, 3, 4], [10, 20]));

        Assert.Equal([1f, 2, 3, 4, 5, 6], fixedOutput.Run("images", [1, 3, 2, 2], new float[12], "output0").Values);
        Assert.Equal([1f + 0 + 10, 2 + 0 + 20, 0 + 3 + 10, 0 + 4 + 20], linear.Run("features", [2, 2], [1, 0, 0, 1], "scores").Values);
        Assert.Equal(-1, linear.Inputs["features"].Shape[0]);
    }
}
