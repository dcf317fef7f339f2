using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        if (features.Length < _width || raw.Length < _bias.Length)
        {
            throw new ArgumentException($"The model takes {_width} features and gives {_bias.Length} outputs.");
        }
        ref var x = ref MemoryMarshal.GetReference(features);
        ref var w = ref MemoryMarshal.GetArrayDataReference(_weights);
        for (var o = 0; o < _bias.Length; o++)
        {
            raw[o] = _bias[o] + Dot(ref Unsafe.Add(ref w, o * _width), ref x, _width);
        }
    }

    /// <summary>
    /// a·b over <paramref name="length"/> floats: four lanes summed across, then the tail in order. Loads
    /// without slicing spans (the lengths were checked once by the caller); this is most of a linear
    /// model's single-row time.
    /// </summary>
    private static float Dot(ref float a, ref float b, int length)
    {
        var i = 0;
        var sum = 0f;
        if (length >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                acc += Vector128.LoadUnsafe(ref a, (nuint)i) * Vector128.LoadUnsafe(ref b, (nuint)i);
            }
            sum = Vector128.Sum(acc);
        }
        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }
        return sum;
    }
}
