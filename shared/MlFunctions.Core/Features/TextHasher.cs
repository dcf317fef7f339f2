using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace MlFunctions.Core.Features;

/// <summary>
/// The hashing trick for text: lower-cased word n-grams (words are runs of letters and digits) and
/// character n-grams, each hashed with XxHash32 into one of a fixed number of buckets. XxHash32 rather
/// than string.GetHashCode, which differs from process to process, so training and serving agree.
/// Holds no state between calls, so one instance serves concurrent requests.
/// </summary>
internal sealed class TextHasher(int buckets, (int Min, int Max)? words, (int Min, int Max)? chars)
{
    public int Buckets => buckets;

    public void Count(string text, Span<float> output, bool binary)
    {
        var lower = text.ToLowerInvariant();
        var buffer = ArrayPool<char>.Shared.Rent(lower.Length + 2);
        try
        {
            if (words is var (wordMin, wordMax))
            {
                var tokens = Tokens(lower);
                for (var n = wordMin; n <= wordMax; n++)
                {
                    for (var start = 0; start + n <= tokens.Count; start++)
                    {
                        Add(output, Join(lower, tokens, start, n, buffer), binary);
                    }
                }
            }
            if (chars is var (charMin, charMax))
            {
                for (var n = charMin; n <= charMax; n++)
                {
                    for (var start = 0; start + n <= lower.Length; start++)
                    {
                        buffer[0] = 'c';
                        buffer[1] = ':';
                        lower.AsSpan(start, n).CopyTo(buffer.AsSpan(2));
                        Add(output, buffer.AsSpan(0, n + 2), binary);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The bucket of one n-gram, for tests and for naming.</summary>
    public int Bucket(ReadOnlySpan<char> gram) => (int)(XxHash32.HashToUInt32(MemoryMarshal.AsBytes(gram)) % (uint)Buckets);

    private void Add(Span<float> output, ReadOnlySpan<char> gram, bool binary)
    {
        var bucket = Bucket(gram);
        output[bucket] = binary ? 1 : output[bucket] + 1;
    }

    private static List<Range> Tokens(string text)
    {
        var tokens = new List<Range>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                tokens.Add(start..i);
                start = -1;
            }
        }
        return tokens;
    }

    /// <summary>"w:" then the words joined by single spaces, in <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<char> Join(string text, List<Range> tokens, int start, int count, char[] buffer)
    {
        buffer[0] = 'w';
        buffer[1] = ':';
        var length = 2;
        for (var t = start; t < start + count; t++)
        {
            if (t > start)
            {
                buffer[length++] = ' ';
            }
            var word = text.AsSpan()[tokens[t]];
            word.CopyTo(buffer.AsSpan(length));
            length += word.Length;
        }
        return buffer.AsSpan(0, length);
    }
}
