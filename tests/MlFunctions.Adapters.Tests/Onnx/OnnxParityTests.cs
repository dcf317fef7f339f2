using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Onnx;
using MlFunctions.Core.Tensors;
using MlFunctions.Local;
using MlFunctions.Onnx;
using MlFunctions.Testing;
using MlFunctions.Testing.Peers;

namespace MlFunctions.Adapters.Tests.Onnx;

/// <summary>
/// The real ResNet18 (from its package) on the same input, run three ways: by our graph runner as
/// predict serves it (the graph registration optimised for this machine), by ML.NET's OnnxTransformer through a
/// PredictionEngine (JIT), and by onnxruntime-node (npm), an independent runner. The 512 features agree.
/// </summary>
public sealed class OnnxParityTests
{
    private static float[] RawPixels(string photo) => ImageTensors.Create(File.ReadAllBytes(RepoPaths.ExifImage(photo)),
        TensorOptions.Parse(new Parameters(FunctionRequest.ParseQuery("width=224&height=224&scale=1")), FunctionLimits.Default), FunctionLimits.Default);

    private static float[] Ours(float[] pixels)
    {
        var runner = new OnnxGraphRunner();
        using var prepare = runner.Load(File.ReadAllBytes(SampleImageModel.PreparePath));
        var optimized = runner.Optimize(File.ReadAllBytes(SampleImageModel.GraphPath));
        using var weights = WeightsFolder.Write(optimized);
        using var backbone = runner.Load(optimized.Native, GraphForm.Native, weights.Path);
        return backbone.Run("Input247", [1, 3, 224, 224], prepare.Run("OriginalInput", [1, 3, 224, 224], pixels, "PreprocessedInput").Values, "Pooling395_Output_0").Values;
    }

    private static void AssertClose(float[] expected, float[] actual, string who)
    {
        Assert.Equal(512, actual.Length);
        var scale = expected.Max(Math.Abs);
        var worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst <= 1e-4 * scale, $"{who} differs from ours by up to {worst} (largest feature {scale})");
    }

    [Theory]
    [InlineData("Landscape_1")]
    [InlineData("Portrait_5")]
    public void Mlnet_onnx_transformer_gives_our_features(string photo)
    {
        var pixels = RawPixels(photo);
        using var mlnet = new MlNetResNet(SampleImageModel.PreparePath, SampleImageModel.GraphPath, threads: 2);

        AssertClose(Ours(pixels), mlnet.EmbedPixels(pixels), "ML.NET's OnnxTransformer");
    }

    [Fact]
    public async Task Onnxruntime_node_gives_our_features()
    {
        var pixels = RawPixels("Landscape_3");

        var prepared = await OnnxRuntimeNode.RunAsync(SampleImageModel.PreparePath, "OriginalInput", "PreprocessedInput", [1, 3, 224, 224], pixels);
        var features = await OnnxRuntimeNode.RunAsync(SampleImageModel.GraphPath, "Input247", "Pooling395_Output_0", [1, 3, 224, 224], prepared);

        AssertClose(Ours(pixels), features, "onnxruntime-node");
    }
}
