using MlFunctions.Core.Contract;
using MlFunctions.Core.Imaging;
using MlFunctions.Core.Tensors;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aot;

/// <summary>
/// Core under Native AOT (through tests/MlFunctions.AotProbe, published once per run) must give the
/// same bytes as the same call under JIT.
/// </summary>
public sealed class AotParityTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mlf-aot-").FullName;

    public static TheoryData<string, string> ResizeCases() => new()
    {
        { "Landscape_6", "width=224&height=224&fit=cover&format=png" },
        { "Portrait_8", "width=200&height=100&fit=pad&background=%23336699&format=png" },
        { "Landscape_3", "width=150&fit=contain&format=jpeg&quality=85" },
        { "Portrait_2", "width=120&height=90&fit=fill&format=webp&quality=60" },
    };

    [Theory]
    [MemberData(nameof(ResizeCases))]
    public async Task Resize_gives_the_same_bytes_under_AOT_as_under_JIT(string photo, string query)
    {
        var input = RepoPaths.ExifImage(photo);
        var aot = await AotProbeRunner.RunAsync("resize", query, input);

        var jit = ImageResizer.Resize(File.ReadAllBytes(input), ResizeOptions.Parse(new Parameters(FunctionRequest.ParseQuery(query)), FunctionLimits.Default), FunctionLimits.Default);
        Assert.Equal(jit.ContentType, aot.ContentType);
        Assert.Equal(jit.Bytes, aot.Body);
    }

    [Fact]
    public async Task Tensor_gives_the_same_values_under_AOT_as_under_JIT()
    {
        const string query = "width=64&height=64&layout=nhwc&channels=bgr&mean=0.485,0.456,0.406&std=0.229,0.224,0.225";
        var input = RepoPaths.ExifImage("Landscape_7");
        var aot = await AotProbeRunner.RunAsync("tensor", query, input);

        var options = TensorOptions.Parse(new Parameters(FunctionRequest.ParseQuery(query)), FunctionLimits.Default);
        var jit = TensorWriter.ToLittleEndianBytes(ImageTensors.Create(File.ReadAllBytes(input), options, FunctionLimits.Default));
        Assert.Equal("application/octet-stream", aot.ContentType);
        Assert.Equal(jit, aot.Body);
    }

    [Fact]
    public async Task Bad_input_gets_the_same_problem_under_AOT()
    {
        var input = Path.Combine(_work, "truncated.jpg");
        File.WriteAllBytes(input, File.ReadAllBytes(RepoPaths.ExifImage("Landscape_1"))[..10_000]);

        var aot = await AotProbeRunner.RunAsync("resize", "width=10", input);

        Assert.Equal(422, aot.Status);
        Assert.Contains("urn:mlfunctions:problem:image-truncated", System.Text.Encoding.UTF8.GetString(aot.Body));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
