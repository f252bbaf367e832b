using Google.Protobuf;
using MlToolkit.Trainers.Torch.Compression;
using Onnx;

namespace MlToolkit.Models.Onnx;

/// <summary>Builds an ONNX graph node by node: initializers (weights), nodes with unique output names, inputs and outputs.</summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The opset written: 17 has every operator the exporters use (LayerNormalization included) and ONNX Runtime runs it.</summary>
    public const long Opset = 17;

    /// <summary>ONNX's classical-ML operators (the tree ensembles); version 1 has them, and ML.NET's converter writes 1 or 2.</summary>
    public const string MlDomain = "ai.onnx.ml";

    private const long MlOpset = 1;

    private readonly GraphProto _graph = new() { Name = "mltoolkit" };
    private int _counter;

    /// <summary>A float weight tensor.</summary>
    public string Initializer(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>
    /// A weight stored as int8 codes with one symmetric scale per slice along <paramref name="axis"/> (the model
    /// file's scheme, <see cref="Int8Quantization.Encode(float[], long[], int)"/>), read back through a per-axis
    /// DequantizeLinear; returns the name of the float weight.
    /// </summary>
    public string Int8Initializer(string name, float[] values, long[] dims, int axis)
    {
        var (codes, scales) = Int8Quantization.Encode(values, dims, axis);
        var channels = scales.Length;
        var quantized = new TensorProto { Name = name + "_int8", DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom((byte[])(Array)codes) };
        quantized.Dims.AddRange(dims);
        _graph.Initializer.Add(quantized);
        var zeros = new TensorProto { Name = name + "_zero", DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(new byte[channels]) };
        zeros.Dims.Add(channels);
        _graph.Initializer.Add(zeros);
        return Node("DequantizeLinear", new[] { quantized.Name, Initializer(name + "_scale", scales, channels), zeros.Name }, name, Int("axis", axis));
    }

    /// <summary>A double tensor, for the closed-form models that compute in float64.</summary>
    public string DoubleInitializer(string name, double[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 tensor of any shape (node indices, tree links).</summary>
    public string Int64Initializer(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 constant tensor (shapes, axes).</summary>
    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A fresh name for a constant.</summary>
    public string Fresh(string stem) => $"{stem}_{_counter++}";

    /// <summary>A float scalar constant.</summary>
    public string Scalar(string name, float value) => Initializer(name, new[] { value });

    /// <summary>Adds a node of <paramref name="op"/> and returns its (single) output's name, <paramref name="output"/> or a fresh one.</summary>
    public string Node(string op, IEnumerable<string> inputs, string? output = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_counter}" };
        node.Input.AddRange(inputs);
        output ??= $"{op.ToLowerInvariant()}_{_counter}";
        _counter++;
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a node of <paramref name="op"/> from <see cref="MlDomain"/> and returns its output's name.</summary>
    public string MlNode(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = Node(op, inputs, null, attributes);
        _graph.Node[^1].Domain = MlDomain;
        return output;
    }

    /// <summary>Adds a node of <paramref name="op"/> with several outputs (TopK's values and indices), named as given.</summary>
    public void NodeWithOutputs(string op, IEnumerable<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_counter++}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Floats(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    public static AttributeProto Texts(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    public static AttributeProto Text(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Declares a float input or output with a dynamic first (batch) dimension.</summary>
    public void Input(string name, params long[] dimsAfterBatch) => _graph.Input.Add(Value(name, dimsAfterBatch));

    /// <inheritdoc cref="Input"/>
    public void Output(string name, params long[] dimsAfterBatch) => _graph.Output.Add(Value(name, dimsAfterBatch));

    /// <summary>The model: the graph with its opset and producer.</summary>
    public ModelProto Model(string description)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "MlToolkit", ProducerVersion = "0.1.0", DocString = description, Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (_graph.Node.Any(n => n.Domain == MlDomain))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpset });
        return model;
    }

    private static ValueInfoProto Value(string name, long[] dimsAfterBatch)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var dim in dimsAfterBatch)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
