using System.Text;
using MlFunctions.Testing;

namespace MlFunctions.Core.Tests.Functions;

/// <summary>
/// Real inputs, mutated with a fixed seed (<see cref="Mutator"/>): every answer must be a 2xx or a 4xx
/// problem, never a 5xx or an escaping exception. A small, repeatable sample of what the fuzz program
/// (tests/MlFunctions.Fuzz) runs at scale.
/// </summary>
public sealed class MutatedInputTests
{
    private const int Cases = 150;

    public static TheoryData<string, string> ImageCases() => new()
    {
        { "resize", "width=64&height=48&fit=cover" },
        { "tensor", "width=32&height=32&layout=nhwc" },
    };

    [Theory]
    [MemberData(nameof(ImageCases))]
    public async Task Mutated_images_never_give_a_5xx(string function, string query)
    {
        var seeds = new[] { File.ReadAllBytes(RepoPaths.ExifImage("Portrait_5")), SyntheticImages.Gradient(40, 30).ToPng(), SyntheticImages.PngHeaderOnly(640, 480) };
        await AssertNo5xxAsync(function, query, seeds, new Mutator(2026).Bytes);
    }

    [Fact]
    public async Task Mutated_json_bodies_never_give_a_5xx()
    {
        var features = """{"spec": {"columns": [{"name": "x", "kind": "numeric", "fitted": {"fill": 1, "mean": 2, "std": 3}}, {"name": "t", "kind": "text", "buckets": 8, "charNgrams": [2, 3]}]}, "records": [{"x": 1.5, "t": "hello world"}]}""";
        var format = """{"logits": [[1, 2, 3], [0.5, -1, 2]], "labels": ["a", "b", "c"], "topK": 2, "threshold": 0.3, "output": "csv"}""";
        await AssertNo5xxAsync("features", "", [Encoding.UTF8.GetBytes(features)], new Mutator(7).Json);
        await AssertNo5xxAsync("format", "", [Encoding.UTF8.GetBytes(format)], new Mutator(8).Json);
    }

    private static async Task AssertNo5xxAsync(string function, string query, byte[][] seeds, Func<byte[], byte[]> mutate)
    {
        for (var i = 0; i < Cases; i++)
        {
            var input = mutate(seeds[i % seeds.Length]);
            var response = await FunctionCall.InvokeAsync(function, query, input);
            Assert.True(response.Status < 500, $"{function} case {i} ({input.Length} bytes) answered {response.Status}: {Encoding.UTF8.GetString(response.Body.Span)}");
        }
    }
}
