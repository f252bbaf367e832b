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
        foreach (var opset in prefix.OpsetImport.Where(o => o.Domain.Length > 0 && joined.OpsetImport.All(j => j.Domain != o.Domain)))
            joined.OpsetImport.Add(opset.Clone());
        return joined;
    }

    /// <summary>The nodes (in order) that <paramref name="output"/> depends on, and every tensor name they read or write.</summary>
    private static (List<NodeProto> Nodes, HashSet<string> Needed) NodesFor(GraphProto graph, string output)
    {
        var needed = new HashSet<string> { output };
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

    private static NodeProto Renamed(NodeProto node, Func<string, string> rename)
    {
        var copy = node.Clone();
        copy.Name = Prefix + node.Name;
        copy.Input.Clear();
        copy.Input.Add(node.Input.Select(rename));
        copy.Output.Clear();
        copy.Output.Add(node.Output.Select(rename));
        return copy;
    }

    private static TensorProto Renamed(TensorProto tensor, Func<string, string> rename)
    {
        var copy = tensor.Clone();
        copy.Name = rename(tensor.Name);
        return copy;
    }
}
