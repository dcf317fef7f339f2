using System.Net.Http.Headers;
using System.Text.Json;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Core.Tests.Functions;

/// <summary>
/// Several images in one request (multipart/form-data, encoded here by .NET's own
/// MultipartFormDataContent, as curl -F would) give one [N, ...] tensor; and YOLO's stride-trimmed letterbox.
/// </summary>
public sealed class TensorBatchTests
{
    private static readonly byte[] Red = SyntheticImages.Solid(40, 20, new SKColor(250, 10, 10), SKEncodedImageFormat.Png);
    private static readonly byte[] Blue = SyntheticImages.Solid(30, 30, new SKColor(10, 20, 240), SKEncodedImageFormat.Jpeg);

    private static (byte[] Body, string ContentType) Form(params (string Name, byte[] Content)[] parts)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in parts)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(part, "image", name);
        }
        return (form.ReadAsByteArrayAsync().Result, form.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Two_images_give_one_tensor_of_both_in_order_equal_to_each_alone()
    {
        var (body, type) = Form(("red.png", Red), ("blue.jpg", Blue));

        var batch = await FunctionCall.InvokeAsync("tensor", "width=8&height=8", body, contentType: type);
        var red = await FunctionCall.InvokeAsync("tensor", "width=8&height=8", Red);
        var blue = await FunctionCall.InvokeAsync("tensor", "width=8&height=8", Blue);

        Assert.Equal(200, batch.Status);
        Assert.Equal("2,3,8,8", batch.Headers["X-Tensor-Shape"]);
        Assert.Equal([.. red.Body.ToArray(), .. blue.Body.ToArray()], batch.Body.ToArray());
        Assert.Equal($"{red.Headers["X-Tensor-Transform"]} | {blue.Headers["X-Tensor-Transform"]}", batch.Headers["X-Tensor-Transform"]);

        var json = JsonDocument.Parse((await FunctionCall.InvokeAsync("tensor", "width=8&height=8&output=json", body, contentType: type)).Body).RootElement;
        Assert.Equal([2, 3, 8, 8], json.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal([40, 30], json.GetProperty("transforms").EnumerateArray().Select(t => t.GetProperty("originalWidth").GetInt32()));
    }

    [Fact]
    public async Task A_stride_trims_the_letterbox_to_the_smallest_multiples_that_hold_the_image()
    {
        var wide = SyntheticImages.Solid(200, 100, SKColors.Teal, SKEncodedImageFormat.Png);

        var answer = await FunctionCall.InvokeAsync("tensor", "width=64&height=64&fit=pad&stride=32&output=json", wide);

        Assert.Equal(200, answer.Status);
        var json = JsonDocument.Parse(answer.Body).RootElement;
        // Scaled to fit: 64x32, already a multiple of 32 high: no padding at all, where the square box had 16 rows above and below.
        Assert.Equal([1, 3, 32, 64], json.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(0, json.GetProperty("transform").GetProperty("padY").GetDouble());
        Assert.Equal(0.32, json.GetProperty("transform").GetProperty("drawnHeight").GetDouble() / 100, 6);

        var tall = SyntheticImages.Solid(90, 200, SKColors.Teal, SKEncodedImageFormat.Png); // 28.8 wide at scale 0.32: padded to 32
        var tallJson = JsonDocument.Parse((await FunctionCall.InvokeAsync("tensor", "width=64&height=64&fit=pad&stride=32&output=json", tall)).Body).RootElement;
        Assert.Equal([1, 3, 64, 32], tallJson.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
    }

    [Theory]
    [InlineData("width=64&height=64&stride=32", "stride")]            // cover: no letterbox to trim
    [InlineData("width=64&height=48&fit=pad&stride=32", "stride")]   // 48 is not a multiple of 32
    [InlineData("width=64&height=64&fit=pad&stride=0", "stride")]
    public async Task A_stride_that_cannot_apply_is_a_400_naming_it(string query, string parameter)
    {
        var answer = await FunctionCall.InvokeAsync("tensor", query, Red);

        Assert.Equal(400, answer.Status);
        Assert.Equal(parameter, FunctionCall.Problem(answer).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Bad_forms_are_4xx_problems_naming_the_body()
    {
        var (body, type) = Form(("red.png", Red), ("blue.jpg", Blue));
        var (empty, emptyType) = Form(("red.png", Red), ("nothing.png", []));
        var many = Form([.. Enumerable.Range(0, 257).Select(i => ($"{i}.png", Red))]);

        var truncated = await FunctionCall.InvokeAsync("tensor", "width=8&height=8", body[..^40], contentType: type);
        var noBoundary = await FunctionCall.InvokeAsync("tensor", "width=8&height=8", body, contentType: "multipart/form-data");
        var emptyPart = await FunctionCall.InvokeAsync("tensor", "width=8&height=8", empty, contentType: emptyType);
        var tooMany = await FunctionCall.InvokeAsync("tensor", "width=8&height=8", many.Body, contentType: many.ContentType);
        var batchStride = await FunctionCall.InvokeAsync("tensor", "width=64&height=64&fit=pad&stride=32", body, contentType: type);
        var overBudget = await FunctionCall.InvokeAsync("tensor", "width=2048&height=2048", body, contentType: type);

        Assert.Equal((400, "body"), (truncated.Status, FunctionCall.Problem(truncated).GetProperty("parameter").GetString()));
        Assert.Equal((400, "body"), (noBoundary.Status, FunctionCall.Problem(noBoundary).GetProperty("parameter").GetString()));
        Assert.Equal((400, "body[1]"), (emptyPart.Status, FunctionCall.Problem(emptyPart).GetProperty("parameter").GetString()));
        Assert.Equal(413, tooMany.Status);
        Assert.Equal((400, "stride"), (batchStride.Status, FunctionCall.Problem(batchStride).GetProperty("parameter").GetString()));
        Assert.Equal((413, "body"), (overBudget.Status, FunctionCall.Problem(overBudget).GetProperty("parameter").GetString()));
    }

    [Fact]
    public async Task Resize_takes_the_forms_image_field_or_its_first_file_and_says_what_a_form_without_one_holds()
    {
        var (one, oneType) = Form(("red.png", Red));
        using var mixed = new MultipartFormDataContent { { new StringContent("a note"), "caption" }, { new ByteArrayContent(Red), "upload", "red.png" }, { new ByteArrayContent(Blue), "other", "blue.jpg" } };
        using var named = new MultipartFormDataContent { { new ByteArrayContent(Blue), "first", "blue.jpg" }, { new ByteArrayContent(Red), "image" } };
        using var fields = new MultipartFormDataContent { { new StringContent("a note"), "caption" }, { new StringContent("b"), "tag" } };

        var fromBody = await FunctionCall.InvokeAsync("resize", "width=10&height=10&format=png", Red);
        var fromForm = await FunctionCall.InvokeAsync("resize", "width=10&height=10&format=png", one, contentType: oneType);
        var firstFile = await FunctionCall.InvokeAsync("resize", "width=10&height=10&format=png", await mixed.ReadAsByteArrayAsync(), contentType: mixed.Headers.ContentType!.ToString());
        var imageField = await FunctionCall.InvokeAsync("resize", "width=10&height=10&format=png", await named.ReadAsByteArrayAsync(), contentType: named.Headers.ContentType!.ToString());
        var none = await FunctionCall.InvokeAsync("resize", "width=10&height=10", await fields.ReadAsByteArrayAsync(), contentType: fields.Headers.ContentType!.ToString());

        Assert.Equal(200, fromForm.Status);
        Assert.Equal(fromBody.Body.ToArray(), fromForm.Body.ToArray());
        Assert.Equal(fromBody.Body.ToArray(), firstFile.Body.ToArray());
        Assert.Equal(fromBody.Body.ToArray(), imageField.Body.ToArray());
        Assert.Equal((400, "body"), (none.Status, FunctionCall.Problem(none).GetProperty("parameter").GetString()));
        Assert.Contains("caption, tag", FunctionCall.Problem(none).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
