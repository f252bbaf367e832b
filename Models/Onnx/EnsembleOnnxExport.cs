using System.Globalization;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Models.Ensembles;
using Onnx;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// An AutoML ensemble as one ONNX graph: each member exported whole (raw columns in), their graphs side by side under
/// <c>member{i}/</c> names over the shared inputs, and their votes (class probabilities, P(positive) or values) averaged
/// with the ensemble's weights, as <see cref="EnsembleTransformer"/> averages them.
/// </summary>
internal static class EnsembleOnnxExport
{
    // As EnsembleTransformer's logit of the averaged probability.
    private const float ProbabilityFloor = 1e-7f;

    // Default-domain operators whose form did not change from opset 12 (ML.NET's converter) to 17 (the file's opset).
    private static readonly HashSet<string> SameAtOpset17 = new(StringComparer.Ordinal)
        { "Add", "Cast", "Clip", "Concat", "Div", "Exp", "Identity", "Log", "MatMul", "Max", "Min", "Mul", "Not", "Reshape", "Sigmoid", "Sub", "Sum" };

    /// <summary>The ensemble's graph and what it holds; <see cref="OnnxExportResult.Path"/> is empty.</summary>
    /// <exception cref="ArgumentException">The input schema is not known, or a member does not export from the raw columns.</exception>
    public static (ModelProto Model, OnnxExportResult Result) Build(EnsembleTransformer ensemble, IReadOnlyList<ITransformer> parts, DataViewSchema? inputSchema)
    {
        if (inputSchema is null)
            throw new ArgumentException("An ensemble exports from the raw columns only, and the pipeline's input schema is not known: pass inputSchema.", nameof(inputSchema));
        var memberSchema = parts.TakeWhile(p => !ReferenceEquals(p, ensemble)).Aggregate(inputSchema, (schema, part) => part.GetOutputSchema(schema));
        var members = ensemble.Members.Select((member, i) => Member(member, i, memberSchema, inputSchema)).ToList();
        var graph = new GraphProto { Name = "mltoolkit_ensemble" };
        var inputs = new Dictionary<string, ValueInfoProto>();
        var votes = new List<string>();
        for (var i = 0; i < members.Count; i++)
            votes.Add(AddMember(graph, members[i].Model, $"member{i}/", VoteOf(ensemble.Task), inputs));
        graph.Input.Add(inputs.Values.OrderBy(v => inputSchema[v.Name].Index));
        var outputs = Blend(graph, ensemble, votes);
        var model = new ModelProto
        {
            IrVersion = members.Max(m => m.Model.IrVersion), ProducerName = "MlToolkit", ProducerVersion = "0.1.0", Graph = graph,
            DocString = string.Create(CultureInfo.InvariantCulture, $"Ensemble of {members.Count} models ({ensemble.Task}), exported by MlToolkit"),
        };
        model.OpsetImport.Add(OpsetImports.Joined(members.SelectMany(m => m.Model.OpsetImport)));
        var first = members[0].Result;
        var dates = members.SelectMany(m => m.Result.DatePartInputs).ToHashSet();
        var names = graph.Input.Select(i => i.Name).ToList();
        return (model, new OnnxExportResult("", first.InputName, first.InputSize, outputs, Array.Empty<string>(), names) { DatePartInputs = names.Where(dates.Contains).ToList() });
    }

    private static string VoteOf(PredictionTask task) => task == PredictionTask.BinaryClassification ? "Probability" : "Score";

    /// <summary>Member <paramref name="index"/> exported whole, its default-domain operators checked to read the same at opset 17.</summary>
    private static (ModelProto Model, OnnxExportResult Result) Member(ITransformer member, int index, DataViewSchema memberSchema, DataViewSchema inputSchema)
    {
        (ModelProto Model, OnnxExportResult Result) exported;
        try
        {
            exported = OnnxExporter.Build(member, memberSchema);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Member {index} of the ensemble does not export: {e.Message}", e);
        }
        var (model, result) = exported;
        if (!result.WholePipeline)
            throw new ArgumentException($"Member {index} of the ensemble exports only from its feature vector {result.InputName}, because {result.NotExportedBecause}; an ensemble's file needs every member to read the raw columns.");
        if (result.Inputs.FirstOrDefault(i => inputSchema.GetColumnOrNull(i) is null) is { } made)
            throw new ArgumentException($"Member {index} of the ensemble reads the column {made}, which the transforms before the ensemble make; an ensemble's file reads the raw columns only.");
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0)?.Version ?? OnnxGraphBuilder.Opset;
        if (opset < OnnxGraphBuilder.Opset && model.Graph.Node.FirstOrDefault(n => n.Domain.Length == 0 && !SameAtOpset17.Contains(n.OpType)) is { } changed)
            throw new ArgumentException($"Member {index} of the ensemble uses {changed.OpType} of opset {opset}, whose form differs at opset {OnnxGraphBuilder.Opset}, the file's.");
        return exported;
    }

    /// <summary>Adds a member's nodes and weights under <paramref name="prefix"/> and its inputs to <paramref name="inputs"/>; returns its vote's name.</summary>
    private static string AddMember(GraphProto graph, ModelProto member, string prefix, string vote, Dictionary<string, ValueInfoProto> inputs)
    {
        foreach (var input in member.Graph.Input)
        {
            // The element type decides; the shapes' symbolic names may differ between converters.
            if (inputs.TryGetValue(input.Name, out var seen) && seen.Type.TensorType.ElemType != input.Type.TensorType.ElemType)
                throw new ArgumentException($"Two members of the ensemble read the column {input.Name} as different types ({seen.Type.TensorType.ElemType} and {input.Type.TensorType.ElemType}).");
            inputs.TryAdd(input.Name, input);
        }
        var own = member.Graph.Input.Select(i => i.Name).ToHashSet();
        string Rename(string name) => name.Length == 0 || own.Contains(name) ? name : prefix + name;
        graph.Node.Add(member.Graph.Node.Select(n => PipelinePrefix.Renamed(n, Rename, prefix)));
        graph.Initializer.Add(member.Graph.Initializer.Select(t => PipelinePrefix.Renamed(t, Rename)));
        return Rename(vote);
    }

    /// <summary>The weighted average of the votes, and the outputs the ensemble adds; returns their names.</summary>
    private static IReadOnlyList<string> Blend(GraphProto graph, EnsembleTransformer ensemble, IReadOnlyList<string> votes)
    {
        var weighted = votes.Select((vote, i) => Node(graph, "Mul", $"blend/weighted{i}", vote, Scalar(graph, $"blend/weight{i}", (float)ensemble.Weights[i]))).ToArray();
        var average = Node(graph, "Sum", ensemble.Task == PredictionTask.BinaryClassification ? "Probability" : "Score", weighted);
        switch (ensemble.Task)
        {
            case PredictionTask.MulticlassClassification:
                graph.Output.Add(Output("Score", ensemble.Classes.Count));
                return new[] { "Score" };
            case PredictionTask.BinaryClassification:
                var clipped = Node(graph, "Clip", "blend/clipped", average, Scalar(graph, "blend/floor", ProbabilityFloor), Scalar(graph, "blend/ceiling", 1 - ProbabilityFloor));
                var odds = Node(graph, "Div", "blend/odds", clipped, Node(graph, "Sub", "blend/complement", Scalar(graph, "blend/one", 1f), clipped));
                Node(graph, "Log", "Score", odds);
                graph.Output.Add(Output("Score"));
                graph.Output.Add(Output("Probability"));
                return new[] { "Score", "Probability" };
            default:
                graph.Output.Add(Output("Score"));
                return new[] { "Score" };
        }
    }

    private static string Node(GraphProto graph, string op, string output, params string[] inputs)
    {
        graph.Node.Add(new NodeProto { OpType = op, Name = "blend/" + output, Input = { inputs }, Output = { output } });
        return output;
    }

    private static string Scalar(GraphProto graph, string name, float value)
    {
        graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, FloatData = { value } });
        return name;
    }

    private static ValueInfoProto Output(string name, params long[] dimsAfterBatch)
    {
        var shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" } } };
        shape.Dim.Add(dimsAfterBatch.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }
}
