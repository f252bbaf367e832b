using Google.Protobuf;
using Microsoft.ML;
using Onnx;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// ML.NET's own transforms before the network, as ONNX (Microsoft.ML.OnnxConverter), joined in front of the network's
/// graph: the joined model reads the pipeline's raw input columns. Only the nodes and inputs that the feature column
/// needs are kept (a label mapping in the same chain is left out), and the converter's names get an <c>mlnet/</c>
/// prefix so they cannot meet the network's.
/// </summary>
internal static class PipelinePrefix
{
    private const string Prefix = "mlnet/";

    /// <summary>The ONNX graph of <paramref name="transforms"/> over <paramref name="inputSchema"/>.</summary>
    /// <exception cref="NotSupportedException">A transform has no ONNX converter (ML.NET's message names it).</exception>
    public static ModelProto Convert(ITransformer transforms, DataViewSchema inputSchema)
    {
        using var buffer = new MemoryStream();
        new MLContext(1).Model.ConvertToOnnx(transforms, new SchemaOnlyDataView(inputSchema), buffer);
        return ModelProto.Parser.ParseFrom(buffer.ToArray());
    }

    /// <summary>
    /// <paramref name="network"/> reading <paramref name="networkInput"/> from the column <paramref name="featureColumn"/>
    /// that <paramref name="prefix"/> computes, instead of from a graph input.
    /// </summary>
    /// <exception cref="InvalidOperationException">The prefix does not output the feature column.</exception>
    public static ModelProto Join(ModelProto prefix, string featureColumn, ModelProto network, string networkInput)
    {
        var features = prefix.Graph.Output.Select(o => o.Name).FirstOrDefault(n => n == featureColumn + ".output")
            ?? throw new InvalidOperationException($"ML.NET's ONNX graph has no output for the feature column '{featureColumn}'.");
        var (nodes, needed) = NodesFor(prefix.Graph, features);
        var inputs = prefix.Graph.Input.Where(i => needed.Contains(i.Name)).Select(i => i.Name).ToHashSet();
        string Rename(string name) => name.Length == 0 || inputs.Contains(name) ? name : Prefix + name;
        var joined = network.Clone();
        var graph = joined.Graph;
        graph.Input.Remove(graph.Input.Single(i => i.Name == networkInput));
        graph.Input.Add(prefix.Graph.Input.Where(i => inputs.Contains(i.Name)));
        graph.Initializer.Add(prefix.Graph.Initializer.Where(i => needed.Contains(i.Name)).Select(i => Renamed(i, Rename)));
        var front = nodes.Select(n => Renamed(n, Rename)).ToList();
        front.Add(new NodeProto { OpType = "Identity", Name = Prefix + "to_network", Input = { Rename(features) }, Output = { networkInput } });
        for (var i = 0; i < front.Count; i++)
            graph.Node.Insert(i, front[i]);
        var opsets = OpsetImports.Joined(joined.OpsetImport.Concat(prefix.OpsetImport)).ToList();
        joined.OpsetImport.Clear();
        joined.OpsetImport.Add(opsets);
        return joined;
    }

    /// <summary>An output to keep from ML.NET's graph: the column's name, and whether to flatten it to one value per row.</summary>
    public sealed record Output(string Name, bool Flat);

    /// <summary>
    /// <paramref name="converted"/> with only the nodes, inputs and initializers that <paramref name="outputs"/> need, each
    /// output under its column's own name instead of the converter's <c>Column.output</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The converted graph has no output for one of the columns.</exception>
    public static ModelProto Select(ModelProto converted, IReadOnlyList<Output> outputs)
    {
        var source = converted.Graph;
        var produced = outputs.Select(o => source.Output.FirstOrDefault(v => v.Name == o.Name + ".output")
            ?? throw new InvalidOperationException($"ML.NET's ONNX graph has no output for the column '{o.Name}'.")).ToList();
        var (nodes, needed) = NodesFor(source, produced.Select(v => v.Name).ToArray());
        var inputs = source.Input.Where(i => needed.Contains(i.Name)).ToList();
        var inputNames = inputs.Select(i => i.Name).ToHashSet();
        // The converter names inner tensors after columns ("Score" among them): prefixed, they cannot meet the outputs' names.
        string Rename(string name) => name.Length == 0 || inputNames.Contains(name) ? name : Prefix + name;
        var selected = converted.Clone();
        var graph = selected.Graph;
        graph.Node.Clear();
        graph.Node.Add(nodes.Select(n => Renamed(n, Rename)));
        graph.Input.Clear();
        graph.Input.Add(inputs);
        graph.Initializer.Clear();
        graph.Initializer.Add(source.Initializer.Where(i => needed.Contains(i.Name)).Select(i => Renamed(i, Rename)));
        graph.ValueInfo.Clear();
        graph.Output.Clear();
        for (var i = 0; i < outputs.Count; i++)
        {
            // Node names of their own: the converter's own nodes may be named after the columns too.
            var nodeName = $"mltoolkit/{outputs[i].Name}_output";
            if (outputs[i].Flat || Width(produced[i]) > 0)
            {
                var shape = outputs[i].Flat ? new[] { -1L } : new[] { -1L, Width(produced[i]) };
                var shapeName = $"mltoolkit/{outputs[i].Name}_shape";
                graph.Initializer.Add(new TensorProto { Name = shapeName, DataType = (int)TensorProto.Types.DataType.Int64, Dims = { shape.Length }, Int64Data = { shape } });
                graph.Node.Add(new NodeProto { OpType = "Reshape", Name = nodeName, Input = { Rename(produced[i].Name), shapeName }, Output = { outputs[i].Name } });
            }
            else
            {
                graph.Node.Add(new NodeProto { OpType = "Identity", Name = nodeName, Input = { Rename(produced[i].Name) }, Output = { outputs[i].Name } });
            }
            graph.Output.Add(Renamed(produced[i], outputs[i].Name, outputs[i].Flat));
        }
        return selected;
    }

    /// <summary>The last dimension of an output, the class count of a multiclass Score (0 when the converter left it open).</summary>
    private static long Width(ValueInfoProto value) => value.Type.TensorType.Shape.Dim[^1].DimValue;

    private static ValueInfoProto Renamed(ValueInfoProto value, string name, bool flat)
    {
        var copy = value.Clone();
        copy.Name = name;
        var dims = copy.Type.TensorType.Shape.Dim;
        var width = dims[^1].Clone();
        dims.Clear();
        dims.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        if (!flat)
            dims.Add(width);
        return copy;
    }

    /// <summary>The nodes (in order) that <paramref name="outputs"/> depend on, and every tensor name they read or write.</summary>
    private static (List<NodeProto> Nodes, HashSet<string> Needed) NodesFor(GraphProto graph, params string[] outputs)
    {
        var needed = new HashSet<string>(outputs);
        var kept = new List<NodeProto>();
        foreach (var node in graph.Node.Reverse())
        {
            if (!node.Output.Any(needed.Contains))
                continue;
            kept.Add(node);
            needed.UnionWith(node.Input.Where(i => i.Length > 0));
        }
        kept.Reverse();
        return (kept, needed);
    }

    /// <summary>A copy of <paramref name="node"/> reading and writing renamed tensors, its own name prefixed with <paramref name="namePrefix"/>.</summary>
    internal static NodeProto Renamed(NodeProto node, Func<string, string> rename, string namePrefix = Prefix)
    {
        var copy = node.Clone();
        copy.Name = namePrefix + node.Name;
        copy.Input.Clear();
        copy.Input.Add(node.Input.Select(rename));
        copy.Output.Clear();
        copy.Output.Add(node.Output.Select(rename));
        return copy;
    }

    /// <summary>A copy of <paramref name="tensor"/> under its new name.</summary>
    internal static TensorProto Renamed(TensorProto tensor, Func<string, string> rename)
    {
        var copy = tensor.Clone();
        copy.Name = rename(tensor.Name);
        return copy;
    }
}
