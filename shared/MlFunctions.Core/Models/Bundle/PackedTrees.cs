using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlFunctions.Core.Models.Bundle;

/// <summary>
/// An ensemble's trees in bundle.json (format 2) as one base64 string: per tree, little-endian, the
/// node count n and leaf count l (int32), the weight (float64), then n split features (int32), n
/// thresholds (float32), n left and n right children (int32) and l leaves (float64). A 180-tree model
/// has thousands of numbers and nearly a thousand small arrays; reading them one JSON value at a time
/// was most of what a cold function spent loading it, and one string is decoded in microseconds.
/// Format 1 bundles list the trees as JSON objects; <see cref="BundleReader"/> reads both.
/// </summary>
internal static class PackedTrees
{
    private const int TreeHeader = sizeof(int) + sizeof(int) + sizeof(double);

    public static byte[] Pack(RegressionTreeData[] trees)
    {
        var size = trees.Sum(t => TreeHeader + (t.SplitFeatures.Length * 4 * sizeof(int)) + (t.Leaves.Length * sizeof(double)));
        var bytes = new byte[size];
        var at = 0;
        foreach (var tree in trees)
        {
            var nodes = tree.SplitFeatures.Length;
            if (tree.Thresholds.Length != nodes || tree.Left.Length != nodes || tree.Right.Length != nodes)
            {
                throw new InvalidDataException("A tree's split features, thresholds and children differ in length.");
            }
            at = Int(bytes, at, nodes);
            at = Int(bytes, at, tree.Leaves.Length);
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at), tree.Weight);
            at += sizeof(double);
            at = Ints(bytes, at, tree.SplitFeatures);
            foreach (var threshold in tree.Thresholds)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), threshold);
                at += sizeof(float);
            }
            at = Ints(bytes, at, tree.Left);
            at = Ints(bytes, at, tree.Right);
            foreach (var leaf in tree.Leaves)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at), leaf);
                at += sizeof(double);
            }
        }
        return bytes;
    }

    public static RegressionTreeData[] Unpack(ReadOnlySpan<byte> bytes)
    {
        var trees = new List<RegressionTreeData>();
        while (!bytes.IsEmpty)
        {
            var nodes = Count(ref bytes);
            var leaves = Count(ref bytes);
            var weight = BinaryPrimitives.ReadDoubleLittleEndian(Take(ref bytes, sizeof(double)));
            var features = ReadInts(ref bytes, nodes);
            var thresholds = new float[nodes];
            var span = Take(ref bytes, nodes * sizeof(float));
            for (var i = 0; i < nodes; i++)
            {
                thresholds[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(i * sizeof(float))..]);
            }
            var left = ReadInts(ref bytes, nodes);
            var right = ReadInts(ref bytes, nodes);
            var values = new double[leaves];
            span = Take(ref bytes, leaves * sizeof(double));
            for (var i = 0; i < leaves; i++)
            {
                values[i] = BinaryPrimitives.ReadDoubleLittleEndian(span[(i * sizeof(double))..]);
            }
            trees.Add(new RegressionTreeData(weight, features, thresholds, left, right, values));
        }
        return trees.ToArray();
    }

    private static int Int(byte[] bytes, int at, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);
        return at + sizeof(int);
    }

    private static int Ints(byte[] bytes, int at, int[] values)
    {
        foreach (var value in values)
        {
            at = Int(bytes, at, value);
        }
        return at;
    }

    private static int Count(ref ReadOnlySpan<byte> bytes)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(Take(ref bytes, sizeof(int)));
        // Each counted value takes at least four more bytes: a count beyond that is corrupt, not a reason to allocate.
        return count >= 0 && count <= bytes.Length / sizeof(int) ? count : throw new InvalidDataException($"Packed trees: a count of {count} with {bytes.Length} bytes left.");
    }

    private static int[] ReadInts(ref ReadOnlySpan<byte> bytes, int count)
    {
        var values = new int[count];
        var span = Take(ref bytes, count * sizeof(int));
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(i * sizeof(int))..]);
        }
        return values;
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> bytes, int length)
    {
        if (bytes.Length < length)
        {
            throw new InvalidDataException("Packed trees end in the middle of a tree.");
        }
        var taken = bytes[..length];
        bytes = bytes[length..];
        return taken;
    }
}

/// <summary>A bundle value written as one base64 string of packed bytes, and read back from it.</summary>
internal abstract class PackedConverter<T>(string what, Func<ReadOnlySpan<byte>, T> unpack, Func<T, byte[]> pack) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? unpack(reader.GetBytesFromBase64()) : throw new JsonException($"Expected {what} as one base64 string.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteBase64StringValue(pack(value));
}

/// <summary>Writes an ensemble's trees as <see cref="PackedTrees"/>; reads them back from that string.</summary>
internal sealed class PackedTreesConverter() : PackedConverter<RegressionTreeData[]>("the trees", PackedTrees.Unpack, PackedTrees.Pack);

/// <summary>Leaf counts as one base64 string of little-endian int32s (thousands of them read in microseconds, as trees are).</summary>
internal static class PackedCounts
{
    public static int[] Unpack(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(int) != 0)
        {
            throw new InvalidDataException("The leaf counts are not whole int32s.");
        }
        var counts = new int[bytes.Length / sizeof(int)];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * sizeof(int))..]);
        }
        return counts;
    }

    public static byte[] Pack(int[] counts)
    {
        var bytes = new byte[counts.Length * sizeof(int)];
        for (var i = 0; i < counts.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), counts[i]);
        }
        return bytes;
    }
}

/// <summary>Writes leaf counts as <see cref="PackedCounts"/>; reads them back from that string.</summary>
internal sealed class PackedCountsConverter() : PackedConverter<int[]>("the leaf counts", PackedCounts.Unpack, PackedCounts.Pack);
