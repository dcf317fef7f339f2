using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Core.Models;

/// <summary>
/// Linear outputs scored with SIMD in float, as ML.NET scores them (a parity test holds the two to
/// 1e-5). Always four lanes (Vector128), never Vector&lt;T&gt;: its width differs between the JIT (AVX2)
/// and a Native AOT build, which would change the order of the float additions and so the last bits
/// of a score between the two.
/// Up to four outputs (binary, regression, and up to four classes: most small models) are kept
/// feature-major, one lane per output, so that one pass over the features gives every output in one
/// vector, which the link takes as it is. More outputs are dot products, one per output.
/// </summary>
internal sealed class CompiledLinear
{
    private readonly float[] _weights; // lanes: feature f's weights at _start + [4f, 4f + 4), lane o = output o; else output-major rows
    private readonly int _start;
    private readonly float[] _bias;
    private readonly Vector128<float> _laneBias;
    private readonly int _width;

    public CompiledLinear(LinearOutput[] outputs, int width)
    {
        if (outputs.Any(o => o.Weights.Length != width))
        {
            throw new InvalidDataException($"The linear weights do not match the {width} features.");
        }
        _width = width;
        _bias = outputs.Select(o => o.Bias).ToArray();
        InLanes = outputs.Length <= Vector128<float>.Count;
        if (InLanes)
        {
            (_weights, _start) = AlignedLanes(width);
            for (var o = 0; o < outputs.Length; o++)
            {
                for (var f = 0; f < width; f++)
                {
                    _weights[_start + (f * Vector128<float>.Count) + o] = outputs[o].Weights[f];
                }
            }
            Span<float> bias = stackalloc float[Vector128<float>.Count];
            _bias.CopyTo(bias);
            _laneBias = Vector128.Create<float>(bias);
        }
        else
        {
            _weights = outputs.SelectMany(o => o.Weights).ToArray();
        }
    }

    public int Outputs => _bias.Length;

    /// <summary>Whether <see cref="EvaluateLanes"/> applies: four outputs or fewer.</summary>
    public bool InLanes { get; }

    public void Evaluate(ReadOnlySpan<float> features, Span<double> raw)
    {
        if (InLanes)
        {
            var lanes = EvaluateLanes(features);
            for (var o = 0; o < _bias.Length; o++)
            {
                raw[o] = lanes.GetElement(o);
            }
            return;
        }
        CheckWidth(features);
        ref var x = ref MemoryMarshal.GetReference(features);
        ref var w = ref MemoryMarshal.GetArrayDataReference(_weights);
        for (var o = 0; o < _bias.Length; o++)
        {
            raw[o] = _bias[o] + Dot(ref Unsafe.Add(ref w, o * _width), ref x, _width);
        }
    }

    /// <summary>Output o in lane o (lanes past <see cref="Outputs"/> hold junk): bias + Σ x[f]·w[f], two accumulators over alternate features.</summary>
    public Vector128<float> EvaluateLanes(ReadOnlySpan<float> features)
    {
        CheckWidth(features);
        ref var x = ref MemoryMarshal.GetReference(features);
        ref var w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), _start);
        var even = _laneBias;
        var odd = Vector128<float>.Zero;
        var f = 0;
        for (; f + 1 < _width; f += 2)
        {
            even += Vector128.Create(Unsafe.Add(ref x, f)) * Vector128.LoadUnsafe(ref w, (nuint)(f * Vector128<float>.Count));
            odd += Vector128.Create(Unsafe.Add(ref x, f + 1)) * Vector128.LoadUnsafe(ref w, (nuint)((f + 1) * Vector128<float>.Count));
        }
        if (f < _width)
        {
            even += Vector128.Create(Unsafe.Add(ref x, f)) * Vector128.LoadUnsafe(ref w, (nuint)(f * Vector128<float>.Count));
        }
        return even + odd;
    }

    /// <summary>
    /// A pinned array (it never moves) and the index in it that starts on a 64-byte boundary, so that no
    /// 16-byte load straddles two cache lines: managed arrays are only 8-byte aligned, and a process whose
    /// weights happened to straddle scored a row about 1.7 times slower than one whose did not.
    /// </summary>
    private static unsafe (float[] Weights, int Start) AlignedLanes(int width)
    {
        const int Line = 64;
        var weights = GC.AllocateArray<float>((width * Vector128<float>.Count) + (Line / sizeof(float)), pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(weights));
        var start = (int)((Line - (address % Line)) % Line) / sizeof(float);
        return (weights, start);
    }

    private void CheckWidth(ReadOnlySpan<float> features)
    {
        if (features.Length < _width)
        {
            throw new ArgumentException($"The model takes {_width} features; the row has {features.Length}.", nameof(features));
        }
    }

    /// <summary>a·b over <paramref name="length"/> floats: four lanes summed across, then the tail in order.</summary>
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
