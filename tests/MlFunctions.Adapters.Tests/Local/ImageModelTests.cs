using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>The sample ONNX image model (ResNet18 from its package) served by predict on the real local host.</summary>
public sealed class ImageModelTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private Task<float[]> EmbedAsync(string photo) => EmbedAsync(File.ReadAllBytes(RepoPaths.ExifImage(photo)));

    /// <summary>The upright photo's pixels turned a quarter, encoded with no EXIF: what a wrongly oriented image looks like to the model.</summary>
    private static byte[] Sideways(string photo)
    {
        using var upright = SkiaSharp.SKBitmap.Decode(RepoPaths.ExifImage(photo));
        using var turned = new SkiaSharp.SKBitmap(upright.Height, upright.Width);
        using (var canvas = new SkiaSharp.SKCanvas(turned))
        {
            canvas.Translate(turned.Width, 0);
            canvas.RotateDegrees(90);
            using var uprightImage = SkiaSharp.SKImage.FromBitmap(upright);
            canvas.DrawImage(uprightImage, 0, 0, SkiaSharp.SKSamplingOptions.Default);
        }
        using var image = SkiaSharp.SKImage.FromBitmap(turned);
        return image.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90).ToArray();
    }

    private async Task<float[]> EmbedAsync(byte[] photo)
    {
        using var body = new ByteArrayContent(photo);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await host.Client.PostAsync("/api/predict/resnet18", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(SampleImageModel.Name, json.GetProperty("model").GetString());
        Assert.Equal("image-embedding", json.GetProperty("task").GetString());
        return json.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    [Fact]
    public async Task An_image_becomes_a_unit_length_embedding_of_512_values()
    {
        var embedding = await EmbedAsync("Landscape_1");

        Assert.Equal(512, embedding.Length);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 4);
        Assert.Equal(embedding, await EmbedAsync("Landscape_1")); // the same image, the same answer
    }

    [Fact]
    public async Task The_same_picture_in_another_exif_orientation_is_close_and_another_picture_is_not()
    {
        var upright = await EmbedAsync("Landscape_1");
        var rotated = await EmbedAsync("Landscape_6"); // stored turned, with EXIF orientation 6: made upright before the model
        var sideways = await EmbedAsync(Sideways("Landscape_1"));
        var other = await EmbedAsync("Portrait_1");

        var same = Cosine(upright, rotated);
        var wrong = Cosine(upright, sideways);
        var different = Cosine(upright, other);
        Assert.True(same > wrong && wrong > different, $"same picture {same:F4}, sideways {wrong:F4}, another picture {different:F4}");
    }

    [Fact]
    public async Task Json_records_to_an_image_model_and_an_image_to_a_records_model_are_415s_naming_the_model()
    {
        using var records = await host.Client.PostAsync("/api/predict/resnet18", new StringContent("""{"records": [{}]}"""));
        using var image = new ByteArrayContent(File.ReadAllBytes(RepoPaths.ExifImage("Landscape_1")));
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var penguins = await host.Client.PostAsync("/api/predict/penguins", image);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, records.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, penguins.StatusCode);
        Assert.Contains("\"parameter\":\"model\"", await records.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_an_image_is_a_415_and_an_unknown_parameter_a_400()
    {
        using var text = new ByteArrayContent("not an image"u8.ToArray());
        text.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var notImage = await host.Client.PostAsync("/api/predict/resnet18", text);
        using var photo = new ByteArrayContent(File.ReadAllBytes(RepoPaths.ExifImage("Landscape_1")));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var unknown = await host.Client.PostAsync("/api/predict/resnet18?width=10", photo);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notImage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task The_embedding_is_the_packages_two_graphs_run_on_the_images_raw_pixels()
    {
        // What ML.NET's featurizer runs: ResNetPreprocess.onnx, then ResNet18.onnx, on raw 224x224 RGB pixels.
        var photo = File.ReadAllBytes(RepoPaths.ExifImage("Portrait_3"));
        var raw = Core.Tensors.ImageTensors.Create(photo, Core.Tensors.TensorOptions.Parse(new Core.Contract.Parameters(
            Core.Contract.FunctionRequest.ParseQuery("width=224&height=224&scale=1")), Core.Contract.FunctionLimits.Default), Core.Contract.FunctionLimits.Default);
        var runner = new MlFunctions.Onnx.OnnxGraphRunner();
        using var prepare = runner.Load(File.ReadAllBytes(SampleImageModel.PreparePath));
        using var backbone = runner.Load(File.ReadAllBytes(SampleImageModel.GraphPath));

        var features = backbone.Run("Input247", [1, 3, 224, 224], prepare.Run("OriginalInput", [1, 3, 224, 224], raw, "PreprocessedInput").Values, "Pooling395_Output_0").Values;
        var norm = Math.Sqrt(features.Sum(v => (double)v * v));
        var served = await EmbedAsync(photo);

        Assert.Equal(512, features.Length);
        Assert.True(served.Zip(features).Max(p => Math.Abs(p.First - (p.Second / norm))) < 1e-5);
    }
}
