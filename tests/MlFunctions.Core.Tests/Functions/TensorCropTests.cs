using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Core.Tests.Functions;

/// <summary>
/// tensor's shorter-side resize then centre crop, its letterbox and its presets, against a reference
/// computed here in double precision: a 640x480 image whose red rises with x and green with y, so the
/// value every output pixel should have is known from where it samples the image.
/// </summary>
public sealed class TensorCropTests
{
    private const int W = 640, H = 480;

    private static readonly byte[] Ramps = MakeRamps();

    private static byte[] MakeRamps()
    {
        using var bitmap = new SKBitmap(W, H);
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)Math.Round(x * 255.0 / (W - 1)), (byte)Math.Round(y * 255.0 / (H - 1)), 0));
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static async Task<JsonElement> TensorAsync(string query)
    {
        var response = await FunctionCall.InvokeAsync("tensor", query + "&output=json", Ramps, FunctionLimits.Azure);
        Assert.True(response.Status == 200, System.Text.Encoding.UTF8.GetString(response.Body.Span));
        return JsonDocument.Parse(response.Body).RootElement;
    }

    /// <summary>The largest difference, over the interior, between the tensor and the ramps sampled where the transform says each pixel came from.</summary>
    private static double WorstError(JsonElement tensor, int size)
    {
        var data = tensor.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var t = tensor.GetProperty("transform");
        double sx = t.GetProperty("sourceX").GetDouble(), sy = t.GetProperty("sourceY").GetDouble();
        double kx = t.GetProperty("drawnWidth").GetDouble() / t.GetProperty("sourceWidth").GetDouble();
        double ky = t.GetProperty("drawnHeight").GetDouble() / t.GetProperty("sourceHeight").GetDouble();
        double px = t.GetProperty("padX").GetDouble(), py = t.GetProperty("padY").GetDouble();
        double dw = t.GetProperty("drawnWidth").GetDouble(), dh = t.GetProperty("drawnHeight").GetDouble();
        var worst = 0.0;
        for (var i = (int)py + 3; i < py + dh - 3; i++)
        {
            for (var j = (int)px + 3; j < px + dw - 3; j++)
            {
                // The output pixel's centre, back in the image's pixel coordinates (centres at integers).
                var x = sx + ((j + 0.5 - px) / kx) - 0.5;
                var y = sy + ((i + 0.5 - py) / ky) - 0.5;
                worst = Math.Max(worst, Math.Abs(data[(0 * size * size) + (i * size) + j] - (x / (W - 1))));
                worst = Math.Max(worst, Math.Abs(data[(1 * size * size) + (i * size) + j] - (y / (H - 1))));
            }
        }
        return worst;
    }

    [Fact]
    public async Task Resize_the_shorter_side_then_crop_the_centre_matches_a_double_precision_reference()
    {
        var tensor = await TensorAsync("resize=256&width=224&height=224");

        var transform = tensor.GetProperty("transform");
        // 480 -> 256 is a scale of 0.5333; the 224 crop is 420 image pixels, centred.
        Assert.Equal(110, transform.GetProperty("sourceX").GetDouble(), 3);
        Assert.Equal(30, transform.GetProperty("sourceY").GetDouble(), 3);
        Assert.Equal(420, transform.GetProperty("sourceWidth").GetDouble(), 3);
        Assert.Equal(420, transform.GetProperty("sourceHeight").GetDouble(), 3);
        var worst = WorstError(tensor, 224);
        Assert.True(worst < 1.5 / 255, $"worst difference {worst * 255:F2}/255");
    }

    [Fact]
    public async Task A_letterbox_matches_the_reference_inside_its_padding()
    {
        var tensor = await TensorAsync("fit=pad&width=320&height=320");

        var transform = tensor.GetProperty("transform");
        Assert.Equal(40, transform.GetProperty("padY").GetDouble());
        Assert.Equal(240, transform.GetProperty("drawnHeight").GetDouble());
        var worst = WorstError(tensor, 320);
        Assert.True(worst < 1.5 / 255, $"worst difference {worst * 255:F2}/255");
    }

    [Fact]
    public async Task The_imagenet_preset_normalises_as_torchvision_does()
    {
        var white = SyntheticImages.Solid(8, 8, SKColors.White, SKEncodedImageFormat.Png);
        var response = await FunctionCall.InvokeAsync("tensor", "width=4&height=4&preset=imagenet&output=json", white);

        var data = JsonDocument.Parse(response.Body).RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal((1 - 0.485) / 0.229, data[0], 4);
        Assert.Equal((1 - 0.456) / 0.224, data[16], 4);
        Assert.Equal((1 - 0.406) / 0.225, data[32], 4);
    }

    [Theory]
    [InlineData("resize=200&width=224&height=224", "resize")]
    [InlineData("resize=256&fit=pad", "resize")]
    [InlineData("resize=0", "resize")]
    [InlineData("preset=coco", "preset")]
    public async Task Each_bad_crop_or_preset_parameter_is_a_400_naming_it(string query, string parameter)
    {
        var response = await FunctionCall.InvokeAsync("tensor", query, Ramps);

        Assert.Equal(400, response.Status);
        Assert.Equal(parameter, FunctionCall.Problem(response).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Float16_and_uint8_answers_carry_the_same_values_in_fewer_bytes()
    {
        var query = "resize=256&width=224&height=224&output=binary";
        var full = await FunctionCall.InvokeAsync("tensor", query, Ramps, FunctionLimits.Azure);
        var half = await FunctionCall.InvokeAsync("tensor", query + "&dtype=float16", Ramps, FunctionLimits.Azure);
        var bytes = await FunctionCall.InvokeAsync("tensor", query + "&dtype=uint8", Ramps, FunctionLimits.Azure);

        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(full.Body.Span).ToArray();
        Assert.Equal("float16", half.Headers["X-Tensor-Dtype"]);
        Assert.Equal("uint8", bytes.Headers["X-Tensor-Dtype"]);
        Assert.Equal(floats.Length * 2, half.Body.Length);
        Assert.Equal(floats.Length, bytes.Body.Length);
        for (var i = 0; i < floats.Length; i += 97)
        {
            // float16 keeps 11 bits of precision: within 1/1024 of the value, relative.
            Assert.True(Math.Abs(floats[i] - (float)System.Buffers.Binary.BinaryPrimitives.ReadHalfLittleEndian(half.Body.Span[(i * 2)..])) <= Math.Abs(floats[i]) / 1024);
            Assert.Equal(floats[i] * 255, bytes.Body.Span[i], 3); // the default scale is 1/255: uint8 is the pixel itself
        }
    }

    [Fact]
    public async Task Dtype_is_read_in_any_case_like_every_other_choice()
    {
        var lower = await FunctionCall.InvokeAsync("tensor", "width=8&height=8&dtype=uint8", Ramps);
        var upper = await FunctionCall.InvokeAsync("tensor", "width=8&height=8&dtype=UINT8", Ramps);

        Assert.Equal(lower.Body.ToArray(), upper.Body.ToArray());
        Assert.Contains(lower.Body.ToArray(), b => b > 1); // raw pixels, not normalised values cast to bytes
    }

    [Theory]
    [InlineData("dtype=uint8&mean=0.5", "dtype")]
    [InlineData("dtype=uint8&preset=imagenet", "dtype")]
    [InlineData("dtype=int4", "dtype")]
    public async Task A_dtype_that_cannot_be_is_a_400(string query, string parameter)
    {
        var response = await FunctionCall.InvokeAsync("tensor", query, Ramps);

        Assert.Equal(400, response.Status);
        Assert.Equal(parameter, FunctionCall.Problem(response).GetProperty("parameter").GetString());
    }
}
