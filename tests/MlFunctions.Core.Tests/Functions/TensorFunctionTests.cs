using System.Buffers.Binary;
using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Core.Tests.Functions;

/// <summary>Tensor values against a reference computed here, in double precision, from pixels the test knows.</summary>
public sealed class TensorFunctionTests
{
    private static readonly Pixels Gradient = SyntheticImages.Gradient(16, 12);
    private static readonly byte[] Photo = File.ReadAllBytes(RepoPaths.ExifImage("Portrait_6"));

    public static TheoryData<string, bool, bool, double, double[], double[]> Normalisations() => new()
    {
        { "layout=nchw&channels=rgb", true, false, 1 / 255.0, [0, 0, 0], [1, 1, 1] },
        { "layout=nhwc&channels=rgb", false, false, 1 / 255.0, [0, 0, 0], [1, 1, 1] },
        { "layout=nchw&channels=bgr&scale=1&mean=103.94,116.78,123.68", true, true, 1, [103.94, 116.78, 123.68], [1, 1, 1] },
        { "layout=nhwc&channels=bgr&scale=1&mean=103.94,116.78,123.68&std=57.4,57.1,58.4", false, true, 1, [103.94, 116.78, 123.68], [57.4, 57.1, 58.4] },
        { "mean=0.485,0.456,0.406&std=0.229,0.224,0.225", true, false, 1 / 255.0, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225] },
        { "layout=nhwc&scale=0.0078431373&mean=1&std=1", false, false, 0.0078431373, [1, 1, 1], [1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(Normalisations))]
    public async Task Values_match_a_reference_for_each_layout_and_normalisation(string query, bool nchw, bool bgr, double scale, double[] mean, double[] std)
    {
        var response = await FunctionCall.InvokeAsync("tensor", $"width=16&height=12&fit=fill&{query}", Gradient.ToPng());

        Assert.Equal(200, response.Status);
        Assert.Equal(nchw ? "1,3,12,16" : "1,12,16,3", response.Headers["X-Tensor-Shape"]);
        var actual = Floats(response.Body.Span);
        var expected = Reference(Gradient, nchw, bgr, scale, mean, std);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"value {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public async Task A_photo_tensor_holds_the_pixels_that_resize_gives_for_the_same_fit()
    {
        var tensor = await FunctionCall.InvokeAsync("tensor", "width=96&height=64&fit=cover&mean=0.5&std=0.25", Photo);
        var resized = await FunctionCall.InvokeAsync("resize", "width=96&height=64&fit=cover&format=png", Photo);

        var expected = Reference(Pixels.Decode(resized.Body.ToArray()), true, false, 1 / 255.0, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);
        var actual = Floats(tensor.Body.Span);
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(Enumerable.Range(0, expected.Length), i => Assert.Equal(expected[i], actual[i], 1e-5));
    }

    [Fact]
    public async Task Json_output_carries_the_same_values_and_shape_as_bytes()
    {
        var binary = await FunctionCall.InvokeAsync("tensor", "width=32&height=32", Photo);
        var json = await FunctionCall.InvokeAsync("tensor", "width=32&height=32", Photo, accept: "application/json");

        Assert.Equal("application/json", json.ContentType);
        var document = JsonDocument.Parse(json.Body).RootElement;
        Assert.Equal([1, 3, 32, 32], document.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(Floats(binary.Body.Span), document.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public async Task Pad_fills_the_bands_with_the_background()
    {
        var response = await FunctionCall.InvokeAsync("tensor", "width=64&height=64&fit=pad&background=%23ff0000&layout=nhwc&scale=1", Photo);

        var values = Floats(response.Body.Span);
        Assert.Equal([255f, 0f, 0f], values[..3]);
    }

    [Theory]
    [InlineData("std=0", "std")]
    [InlineData("std=1,0,1", "std")]
    [InlineData("mean=1,2", "mean")]
    [InlineData("layout=chw", "layout")]
    [InlineData("channels=rgba", "channels")]
    [InlineData("fit=contain", "fit")]
    [InlineData("output=xml", "output")]
    [InlineData("scale=abc", "scale")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string parameter)
    {
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("tensor", query, Photo));

        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    private static float[] Floats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }
        return values;
    }

    private static double[] Reference(Pixels pixels, bool nchw, bool bgr, double scale, double[] mean, double[] std)
    {
        var (w, h) = (pixels.Width, pixels.Height);
        var values = new double[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var (r, g, b, _) = pixels.At(x, y);
                double[] rgb = bgr ? [b, g, r] : [r, g, b];
                for (var c = 0; c < 3; c++)
                {
                    var index = nchw ? (c * w * h) + (y * w) + x : (((y * w) + x) * 3) + c;
                    values[index] = ((rgb[c] * scale) - mean[c]) / std[c];
                }
            }
        }
        return values;
    }
}
