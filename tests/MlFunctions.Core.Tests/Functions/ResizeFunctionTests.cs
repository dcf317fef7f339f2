using MlFunctions.Core.Contract;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Core.Tests.Functions;

public sealed class ResizeFunctionTests
{
    private static readonly byte[] Photo = File.ReadAllBytes(RepoPaths.ExifImage("Landscape_6"));

    [Fact]
    public async Task A_photo_resized_to_224_cover_is_a_224_square_jpeg()
    {
        var response = await FunctionCall.InvokeAsync("resize", "width=224&height=224&fit=cover", Photo);

        Assert.Equal(200, response.Status);
        Assert.Equal("image/jpeg", response.ContentType);
        var pixels = Pixels.Decode(response.Body.ToArray());
        Assert.Equal((224, 224), (pixels.Width, pixels.Height));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "image/png")]
    [InlineData(SKEncodedImageFormat.Webp, "image/webp")]
    [InlineData(SKEncodedImageFormat.Gif, "image/png")]
    [InlineData(SKEncodedImageFormat.Bmp, "image/png")]
    [InlineData(SKEncodedImageFormat.Jpeg, "image/jpeg")]
    public async Task Every_input_format_decodes_and_keeps_or_gets_a_sensible_output_format(SKEncodedImageFormat input, string contentType)
    {
        var image = input is SKEncodedImageFormat.Gif or SKEncodedImageFormat.Bmp
            ? await SkiaFreeEncodings.EncodeAsync(input, 40, 30, new SKColor(200, 30, 60))
            : SyntheticImages.Solid(40, 30, new SKColor(200, 30, 60), input);

        var response = await FunctionCall.InvokeAsync("resize", "width=20", image);

        Assert.Equal(200, response.Status);
        Assert.Equal(contentType, response.ContentType);
        var pixels = Pixels.Decode(response.Body.ToArray());
        Assert.Equal((20, 15), (pixels.Width, pixels.Height));
        var (r, g, b, _) = pixels.At(10, 7);
        Assert.InRange(r, 190, 210);
        Assert.InRange(g, 20, 40);
        Assert.InRange(b, 50, 70);
    }

    [Theory]
    [InlineData("jpeg", "image/jpeg")]
    [InlineData("png", "image/png")]
    [InlineData("webp", "image/webp")]
    public async Task The_output_format_sets_the_content_type(string format, string contentType)
    {
        var response = await FunctionCall.InvokeAsync("resize", $"width=64&format={format}&quality=70", Photo);

        Assert.Equal(contentType, response.ContentType);
        Assert.Equal(64, Pixels.Decode(response.Body.ToArray()).Width);
    }

    [Fact]
    public async Task Lower_quality_gives_a_smaller_jpeg()
    {
        var high = await FunctionCall.InvokeAsync("resize", "width=400&quality=95", Photo);
        var low = await FunctionCall.InvokeAsync("resize", "width=400&quality=30", Photo);

        Assert.True(low.Body.Length < high.Body.Length / 2, $"{low.Body.Length} bytes at 30, {high.Body.Length} at 95");
    }

    [Theory]
    [InlineData("contain", 224, 149)]
    [InlineData("cover", 224, 224)]
    [InlineData("fill", 224, 224)]
    [InlineData("pad", 224, 224)]
    public async Task Each_fit_gives_its_output_size(string fit, int width, int height)
    {
        var response = await FunctionCall.InvokeAsync("resize", $"width=224&height=224&fit={fit}", Photo);

        var pixels = Pixels.Decode(response.Body.ToArray());
        Assert.Equal((width, height), (pixels.Width, pixels.Height));
    }

    [Fact]
    public async Task Pad_fills_the_bands_with_the_background_colour()
    {
        var response = await FunctionCall.InvokeAsync("resize", "width=224&height=224&fit=pad&background=%2300ff00&format=png", Photo);

        var pixels = Pixels.Decode(response.Body.ToArray());
        Assert.Equal((0, 255, 0, 255), pixels.At(112, 5));
        Assert.Equal((0, 255, 0, 255), pixels.At(112, 220));
        Assert.NotEqual((0, 255, 0, 255), pixels.At(112, 112));
    }

    [Fact]
    public async Task Pad_into_png_is_transparent_by_default()
    {
        var response = await FunctionCall.InvokeAsync("resize", "width=100&height=100&fit=pad&format=png", Photo);

        Assert.Equal(0, Pixels.Decode(response.Body.ToArray()).At(50, 2).A);
    }

    [Fact]
    public async Task An_empty_body_is_a_400()
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", "width=10", []));

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:mlfunctions:problem:empty-body", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(20)]
    [InlineData(1000)]
    [InlineData(150_000)]
    public async Task A_truncated_jpeg_is_a_422_that_says_so(int length)
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", "width=100", Photo[..length]));

        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:mlfunctions:problem:image-truncated", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("{\"not\": \"an image\"}")]
    [InlineData("GIF")]
    [InlineData("%PDF-1.7 ...")]
    public async Task A_body_that_is_not_an_image_is_a_415(string body)
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", "width=100", System.Text.Encoding.UTF8.GetBytes(body)));

        Assert.Equal(415, problem.GetProperty("status").GetInt32());
        Assert.Contains("JPEG, PNG, WebP, GIF or BMP", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_jpeg_with_garbage_after_its_signature_is_a_422()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0xFF;
        garbage[1] = 0xD8;
        garbage[2] = 0xFF;

        var response = await FunctionCall.InvokeAsync("resize", "width=100", garbage);

        Assert.Equal(422, response.Status);
    }

    [Fact]
    public async Task A_png_declaring_100000_by_100000_pixels_is_refused_before_decoding()
    {
        var before = GC.GetTotalAllocatedBytes();
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", "width=100", SyntheticImages.PngHeaderOnly(100_000, 100_000)));

        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:mlfunctions:problem:image-too-large", problem.GetProperty("type").GetString());
        Assert.Contains("100000x100000", problem.GetProperty("detail").GetString());
        Assert.True(GC.GetTotalAllocatedBytes() - before < 10_000_000, "The image was decoded before being refused.");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", "width=100", Photo, FunctionLimits.Default with { MaxBodyBytes = 1000 }));

        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:mlfunctions:problem:body-too-large", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("width=abc", "width")]
    [InlineData("width=0", "width")]
    [InlineData("width=100&fit=stretch", "fit")]
    [InlineData("width=100&format=tiff", "format")]
    [InlineData("width=100&quality=101", "quality")]
    [InlineData("width=100&background=purple", "background")]
    [InlineData("widht=100", "widht")]
    [InlineData("fit=cover", "width")]
    [InlineData("width=9000", "width")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string parameter)
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", query, Photo));

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task A_derived_side_over_the_limit_is_a_400_naming_the_side()
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", "height=8000", Photo));

        Assert.Equal("width", problem.GetProperty("parameter").GetString());
    }
}
