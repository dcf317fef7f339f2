using System.Text;

namespace MlFunctions.Testing;

/// <summary>
/// Small ONNX graphs the tests build themselves, with outputs known in advance: a classification head
/// (per-channel mean, then a linear layer), a detection head (fixed boxes), and a linear model over
/// feature vectors. Written as ONNX's protobuf by hand: no ONNX builder restores here for .NET (ONNX
/// Runtime reads graphs, it does not build them), and these few messages need only varints and
/// length-delimited fields (onnx.proto3: ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
/// </summary>
public static class OnnxGraphs
{
    private const int Float = 1;

    /// <summary>
    /// image [1,3,h,w] to logits [1,k]: each channel's mean pixel (GlobalAveragePool), times
    /// <paramref name="weights"/> ([3,k], row-major), plus <paramref name="bias"/>.
    /// </summary>
    public static byte[] ClassificationHead(int height, int width, float[] weights, float[] bias, string input = "image", string output = "logits")
    {
        var k = bias.Length;
        return Model(Graph("classification-head",
            [
                Node("GlobalAveragePool", [input], ["pooled"]),
                Node("Flatten", ["pooled"], ["flat"]),
                Node("MatMul", ["flat", "W"], ["product"]),
                Node("Add", ["product", "B"], [output]),
            ],
            [Tensor("W", [3, k], weights), Tensor("B", [k], bias)],
            [Value(input, [1, 3, height, width])],
            [Value(output, [1, k])]));
    }

    /// <summary>
    /// image [1,3,h,w] to <paramref name="output"/> of <paramref name="shape"/>: the fixed
    /// <paramref name="values"/>, whatever the image (plus 0 times its sum, so the image is an input the graph uses).
    /// </summary>
    public static byte[] FixedOutput(int height, int width, int[] shape, float[] values, string input = "images", string output = "output0")
    {
        var reduce = Node("ReduceSum", [input], ["sum"], Attribute("keepdims", 0));
        return Model(Graph("fixed-output",
            [
                reduce,
                Node("Mul", ["sum", "zero"], ["nothing"]),
                Node("Add", ["nothing", "fixed"], [output]),
            ],
            [Tensor("zero", [], [0f]), Tensor("fixed", shape, values)],
            [Value(input, [1, 3, height, width])],
            [Value(output, shape)]));
    }

    /// <summary>features [n,d] (n left open) to scores [n,k]: features times <paramref name="weights"/> ([d,k]) plus <paramref name="bias"/>.</summary>
    public static byte[] Linear(int features, float[] weights, float[] bias, string input = "features", string output = "scores")
    {
        var k = bias.Length;
        return Model(Graph("linear",
            [Node("MatMul", [input, "W"], ["product"]), Node("Add", ["product", "B"], [output])],
            [Tensor("W", [features, k], weights), Tensor("B", [k], bias)],
            [Value(input, [-1, features])],
            [Value(output, [-1, k])]));
    }

    private static byte[] Model(byte[] graph)
    {
        var model = new Message();
        model.Varint(1, 8); // ir_version 8
        model.Bytes(2, Encoding.UTF8.GetBytes("MlFunctions.Testing"));
        model.Bytes(7, graph);
        var opset = new Message();
        opset.Bytes(1, []);
        opset.Varint(2, 13);
        model.Bytes(8, opset.ToArray());
        return model.ToArray();
    }

    private static byte[] Graph(string name, byte[][] nodes, byte[][] initializers, byte[][] inputs, byte[][] outputs)
    {
        var graph = new Message();
        foreach (var node in nodes)
        {
            graph.Bytes(1, node);
        }
        graph.Bytes(2, Encoding.UTF8.GetBytes(name));
        foreach (var tensor in initializers)
        {
            graph.Bytes(5, tensor);
        }
        foreach (var input in inputs)
        {
            graph.Bytes(11, input);
        }
        foreach (var output in outputs)
        {
            graph.Bytes(12, output);
        }
        return graph.ToArray();
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes)
    {
        var node = new Message();
        foreach (var input in inputs)
        {
            node.Bytes(1, Encoding.UTF8.GetBytes(input));
        }
        foreach (var output in outputs)
        {
            node.Bytes(2, Encoding.UTF8.GetBytes(output));
        }
        node.Bytes(3, Encoding.UTF8.GetBytes(op + "_" + outputs[0]));
        node.Bytes(4, Encoding.UTF8.GetBytes(op));
        foreach (var attribute in attributes)
        {
            node.Bytes(5, attribute);
        }
        return node.ToArray();
    }

    private static byte[] Attribute(string name, long value)
    {
        var attribute = new Message();
        attribute.Bytes(1, Encoding.UTF8.GetBytes(name));
        attribute.Varint(3, value);
        attribute.Varint(20, 2); // INT
        return attribute.ToArray();
    }

    private static byte[] Tensor(string name, int[] dims, float[] values)
    {
        var tensor = new Message();
        foreach (var d in dims)
        {
            tensor.Varint(1, d);
        }
        tensor.Varint(2, Float);
        tensor.Bytes(8, Encoding.UTF8.GetBytes(name));
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length); // raw_data is little-endian, as this machine is
        tensor.Bytes(9, raw);
        return tensor.ToArray();
    }

    /// <summary>A float tensor's name and shape; a dimension below 0 is left open ("n").</summary>
    private static byte[] Value(string name, int[] dims)
    {
        var shape = new Message();
        foreach (var d in dims)
        {
            var dim = new Message();
            if (d >= 0)
            {
                dim.Varint(1, d);
            }
            else
            {
                dim.Bytes(2, "n"u8.ToArray());
            }
            shape.Bytes(1, dim.ToArray());
        }
        var tensorType = new Message();
        tensorType.Varint(1, Float);
        tensorType.Bytes(2, shape.ToArray());
        var type = new Message();
        type.Bytes(1, tensorType.ToArray());
        var value = new Message();
        value.Bytes(1, Encoding.UTF8.GetBytes(name));
        value.Bytes(2, type.ToArray());
        return value.ToArray();
    }

    /// <summary>Protobuf's wire format: varint fields (wire type 0) and length-delimited ones (wire type 2).</summary>
    private sealed class Message
    {
        private readonly MemoryStream _bytes = new();

        public void Varint(int field, long value)
        {
            Write((ulong)((field << 3) | 0));
            Write((ulong)value);
        }

        public void Bytes(int field, byte[] value)
        {
            Write((ulong)((field << 3) | 2));
            Write((ulong)value.Length);
            _bytes.Write(value);
        }

        public byte[] ToArray() => _bytes.ToArray();

        private void Write(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }
}
