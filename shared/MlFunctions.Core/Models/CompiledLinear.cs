using System.Runtime.Intrinsics;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models;

/// <summary>
/// Linear outputs as one flat weight array, scored with SIMD dot products in float, as ML.NET scores
/// them (a parity test holds the two to 1e-5). Always four lanes (Vector128), never Vector&lt;T&gt;: its
/// width differs between the JIT (AVX2) and a Native AOT build, which would change the order of the
/// float additions and so the last bits of a score between the two.
/// </summary>
internal sealed class CompiledLinear
{
    private readonly float[] _weights; // output-major: output o's weights at [o * width, (o + 1) * width)
    private readonly float[] _bias;
    private readonly int _width;

    public CompiledLinear(LinearOutput[] outputs, int width)
    {
        if (outputs.Any(o => o.Weights.Length != width))
        {
            throw new InvalidDataException($"The linear weights do not match the {width} features.");
        }
        _width = width;
        _weights = outputs.SelectMany(o => o.Weights).ToArray();
        _bias = outputs.Select(o => o.Bias).ToArray();
    }

    public int Outputs => _bias.Length;

    public void Evaluate(ReadOnlySpan<float> features, Span<double> raw)
    {
        for (var o = 0; o < _bias.Length; o++)
        {
            raw[o] = _bias[o] + Dot(_weights.AsSpan(o * _width, _width), features);
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (a.Length >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= a.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                acc += Vector128.Create(a[i..]) * Vector128.Create(b[i..]);
            }
            sum = Vector128.Sum(acc);
        }
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
