using MlToolkit.Data.IO;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Forests;
using MlToolkit.Trainers.Torch.Kernels;
using MlToolkit.Trainers.Torch.Neighbors;
using MlToolkit.Trainers.Torch.Heads;
using MlToolkit.Trainers.Torch.Scoring;
using static MlToolkit.Models.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// Exports a pipeline's torch network to ONNX (opset 17): the network with its head's postprocessing, writing
/// <c>Score</c> (class probabilities, the raw binary score, or the regression value) and, for binary models,
/// <c>Probability</c>, with a dynamic batch size. When the pipeline's input schema is known (a <see cref="TrainedModel"/>
/// knows it) and ML.NET can convert every transform before the network (Microsoft.ML.OnnxConverter), those
/// transforms go into the file too and it reads the raw input columns; otherwise the file holds the network alone,
/// reading the <c>Features</c> vector (float [batch, size]), and the result names the transforms left out and why.
/// </summary>
public static class TorchOnnxExporter
{
    /// <summary>Writes the torch network of <paramref name="model"/> to <paramref name="path"/> (replaced only once complete).</summary>
    /// <exception cref="ArgumentException">The pipeline holds no torch network, or one whose architecture has no exporter, or the model averages several (an ensemble: see <see cref="OnnxExporter"/>).</exception>
    /// <param name="model">A pipeline (or a <see cref="TrainedModel"/>) with a torch network.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="inputSchema">The pipeline's input schema, to export the transforms before the network; a trained model's own by default.</param>
    public static OnnxExportResult Export(ITransformer model, string path, DataViewSchema? inputSchema = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var parts = PipelineParts.Flatten(model is TrainedModel trained ? trained.Scorer : model).ToList();
        // Anywhere in the pipeline (a saved pipeline ends in a chain): the networks inside it are not one network.
        if (parts.OfType<Ensembles.EnsembleTransformer>().FirstOrDefault() is { } ensemble)
            throw new ArgumentException($"The model averages {ensemble.Members.Count} models (an AutoML ensemble), not one torch network: export it with OnnxExporter.Export (mlContext.Model.ExportOnnx).", nameof(model));
        var (onnx, result) = Build(parts, inputSchema ?? (model as TrainedModel)?.InputSchema);
        Write(onnx, path);
        return result with { Path = Path.GetFullPath(path) };
    }

    /// <summary>The ONNX model of the torch network among the pipeline's <paramref name="parts"/> (and the transforms before it), and what it holds; <see cref="OnnxExportResult.Path"/> is empty.</summary>
    internal static (global::Onnx.ModelProto Model, OnnxExportResult Result) Build(IReadOnlyList<ITransformer> parts, DataViewSchema? inputSchema)
    {
        var index = parts.ToList().FindIndex(p => p is TorchPredictionTransformer);
        if (index < 0)
            throw new ArgumentException("The pipeline has no torch network to export.", "model");
        var torch = (TorchPredictionTransformer)parts[index];
        var network = torch.Network;
        if (network.Architecture is not (MlpArchitecture or CnnArchitecture or RnnArchitecture or TransformerArchitecture
            or KernelMachineArchitecture or NearestNeighborsArchitecture or ForestArchitecture))
            throw new ArgumentException($"ONNX export of {network.Architecture.GetType().Name} networks is not implemented; MLP, CNN, LSTM/GRU, transformer, kernel machine, nearest-neighbour and forest networks export.");
        // The closed-form networks read their buffers themselves: a nearest-neighbour network's are its training rows.
        var weights = new Lazy<WeightTable>(() => WeightTable.Of(network));
        var graph = new OnnxGraphBuilder();
        graph.Input(torch.FeatureColumnName, network.FeatureSize);
        var output = network.Architecture switch
        {
            MlpArchitecture mlp => Mlp(graph, mlp, weights.Value, torch.FeatureColumnName),
            CnnArchitecture cnn => Cnn(graph, cnn, weights.Value, network.InputShape, torch.FeatureColumnName),
            RnnArchitecture rnn => SequenceOnnxExport.Rnn(graph, rnn, weights.Value, network.InputShape[0], torch.FeatureColumnName),
            TransformerArchitecture transformer => SequenceOnnxExport.Transformer(graph, transformer, weights.Value, network.InputShape[0], torch.FeatureColumnName),
            KernelMachineArchitecture kernel => ClosedFormOnnxExport.KernelMachine(graph, kernel, network, torch.FeatureColumnName),
            NearestNeighborsArchitecture neighbors => ClosedFormOnnxExport.NearestNeighbors(graph, neighbors, network, torch.FeatureColumnName),
            ForestArchitecture forest => ClosedFormOnnxExport.Forest(graph, forest, network, torch.FeatureColumnName),
            var other => throw new InvalidOperationException($"{other.GetType().Name} passed the exportability check but has no exporter."),
        };
        var outputs = Head(graph, network.Head, output);
        var description = $"{network.Architecture.GetType().Name} with a {network.Head.Task} head, exported by MlToolkit";
        var onnx = graph.Model(description);
        var preceding = parts.Take(index).ToList();
        var joined = preceding.Count == 0 ? new RawColumnsGraph.Outcome(onnx, null, Array.Empty<string>())
            : RawColumnsGraph.Convert(preceding, inputSchema, prefix => PipelinePrefix.Join(prefix, torch.FeatureColumnName, onnx, torch.FeatureColumnName),
                // The network alone is still worth exporting. ML.NET's converter names the transform it has no converter for,
                // but when a converter fails inside (the text featurizer: "The given key 'Text_TextNormalizer' was not
                // present in the dictionary.") its message names nothing the user built: name the first transform that fails.
                (e, dates) => $"ML.NET's ONNX converter fails on {FirstFailing(dates.Rest, dates.Schema)}: {e.Message}");
        var written = joined.Model ?? onnx;
        var leftOut = joined.Model is null ? preceding.Select(NameOf).ToList() : new List<string>();
        var inputs = written.Graph.Input.Select(i => i.Name).ToList();
        return (written, new OnnxExportResult("", torch.FeatureColumnName, network.FeatureSize, outputs, leftOut, inputs, joined.Reason) { DatePartInputs = joined.DateInputs });
    }

    /// <summary>The type of the first transform of <paramref name="preceding"/> whose prefix ML.NET cannot convert.</summary>
    private static string FirstFailing(IReadOnlyList<ITransformer> preceding, DataViewSchema inputSchema)
    {
        for (var count = 1; count < preceding.Count; count++)
        {
            try
            {
                PipelinePrefix.Convert(new TransformerChain<ITransformer>(preceding.Take(count).ToArray()), inputSchema);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return NameOf(preceding[count - 1]);
            }
        }
        return NameOf(preceding[^1]);
    }

    /// <summary>A transform's type name as a user knows it: ML.NET's nested <c>Transformer</c> classes with their estimator's name.</summary>
    internal static string NameOf(ITransformer transform)
    {
        var type = transform.GetType();
        var name = type.Name.Split('`')[0];
        return type.DeclaringType is { } outer ? $"{outer.Name.Split('`')[0]}.{name}" : name;
    }

    private static string Mlp(OnnxGraphBuilder graph, MlpArchitecture mlp, WeightTable weights, string input)
    {
        var x = input;
        for (var i = 0; i < mlp.HiddenLayers.Count; i++)
        {
            x = Dense(graph, weights, $"linear{i}", x);
            if (mlp.BatchNorm)
                x = BatchNorm(graph, weights, $"norm{i}", x);
            x = Activate(graph, mlp.Activation, x);
        }
        return Dense(graph, weights, "output", x);
    }

    private static string Cnn(OnnxGraphBuilder graph, CnnArchitecture cnn, WeightTable weights, long[] inputShape, string input)
    {
        var x = graph.Node("Reshape", new[] { input, graph.Int64s("image_shape", new long[] { -1 }.Concat(inputShape).ToArray()) });
        for (var i = 0; i < cnn.Blocks.Count; i++)
        {
            var block = cnn.Blocks[i];
            var pad = block.KernelSize / 2;
            x = graph.Node("Conv", new[] { x, Weight(graph, weights, $"conv{i}.weight"), Weight(graph, weights, $"conv{i}.bias") }, null,
                Ints("kernel_shape", block.KernelSize, block.KernelSize), Ints("pads", pad, pad, pad, pad), Ints("strides", 1, 1));
            if (block.BatchNorm)
                x = BatchNorm(graph, weights, $"norm{i}", x);
            x = graph.Node("Relu", new[] { x });
            if (block.Pool > 1)
                x = graph.Node("MaxPool", new[] { x }, null, Ints("kernel_shape", block.Pool, block.Pool), Ints("strides", block.Pool, block.Pool));
        }
        x = graph.Node("Flatten", new[] { x }, null, Int("axis", 1));
        for (var i = 0; i < cnn.DenseLayers.Count; i++)
            x = graph.Node("Relu", new[] { Dense(graph, weights, $"dense{i}", x) });
        return Dense(graph, weights, "output", x);
    }

    /// <summary>The head's postprocessing as the torch transformer applies it; returns the output names.</summary>
    private static IReadOnlyList<string> Head(OnnxGraphBuilder graph, PredictionHead head, string output)
    {
        switch (head.Task)
        {
            case PredictionTask.MulticlassClassification:
                graph.Node("Softmax", new[] { output }, "Score", Int("axis", 1));
                graph.Output("Score", head.OutputSize);
                return new[] { "Score" };
            case PredictionTask.BinaryClassification:
                var score = graph.Node("Reshape", new[] { output, graph.Int64s("flat", -1) }, "Score");
                graph.Node("Sigmoid", new[] { score }, "Probability");
                graph.Output("Score");
                graph.Output("Probability");
                return new[] { "Score", "Probability" };
            default:
                var (mean, scale) = head.State is { Count: 2 } state ? (state[0], state[1]) : (0.0, 1.0);
                var scaled = graph.Node("Add", new[] { graph.Node("Mul", new[] { output, graph.Scalar("label_scale", (float)scale) }), graph.Scalar("label_mean", (float)mean) });
                graph.Node("Reshape", new[] { scaled, graph.Int64s("flat", -1) }, "Score");
                graph.Output("Score");
                return new[] { "Score" };
        }
    }

    internal static string Dense(OnnxGraphBuilder graph, WeightTable weights, string layer, string x) =>
        graph.Node("Gemm", new[] { x, Weight(graph, weights, $"{layer}.weight"), Weight(graph, weights, $"{layer}.bias") }, null, Int("transB", 1));

    private static string BatchNorm(OnnxGraphBuilder graph, WeightTable weights, string layer, string x) =>
        graph.Node("BatchNormalization", new[] { x, Weight(graph, weights, $"{layer}.weight"), Weight(graph, weights, $"{layer}.bias"),
            Weight(graph, weights, $"{layer}.running_mean"), Weight(graph, weights, $"{layer}.running_var") }, null, Float("epsilon", 1e-5f));

    private static string Activate(OnnxGraphBuilder graph, Activation activation, string x) => activation switch
    {
        Activation.Relu => graph.Node("Relu", new[] { x }),
        Activation.LeakyRelu => graph.Node("LeakyRelu", new[] { x }, null, Float("alpha", 0.01f)),
        Activation.Tanh => graph.Node("Tanh", new[] { x }),
        Activation.Gelu => Gelu(graph, x),
        _ => throw new NotSupportedException($"Activation {activation} has no ONNX form."),
    };

    /// <summary>x · ½ · (1 + erf(x / √2)), torch's exact GELU.</summary>
    internal static string Gelu(OnnxGraphBuilder graph, string x)
    {
        var erf = graph.Node("Erf", new[] { graph.Node("Mul", new[] { x, graph.Scalar($"inv_sqrt2_{x}", (float)(1 / Math.Sqrt(2))) }) });
        var onePlus = graph.Node("Add", new[] { erf, graph.Scalar($"one_{x}", 1f) });
        return graph.Node("Mul", new[] { graph.Node("Mul", new[] { x, onePlus }), graph.Scalar($"half_{x}", 0.5f) });
    }

    private static string Weight(OnnxGraphBuilder graph, WeightTable weights, string name) => weights.Add(graph, name);

    private static void Write(global::Onnx.ModelProto model, string path)
    {
        AtomicFile.Write(path, model.WriteTo);
    }
}

/// <summary>What an ONNX export wrote.</summary>
/// <param name="Path">The .onnx file.</param>
/// <param name="InputName">The network's input: the feature vector the pipeline's earlier transforms make.</param>
/// <param name="InputSize">Values per row of that vector.</param>
/// <param name="Outputs">The file's outputs (Score, and Probability for binary models).</param>
/// <param name="PrecedingTransforms">The pipeline's transforms before the network that are not in the file: apply them first (or feed the features directly). Empty when the file holds the whole pipeline.</param>
/// <param name="Inputs">The file's inputs: the raw columns when it holds the whole pipeline, else <paramref name="InputName"/>.</param>
/// <param name="NotExportedBecause">Why <paramref name="PrecedingTransforms"/> are not in the file (ML.NET's converter's message), if any are left out.</param>
public sealed record OnnxExportResult(string Path, string InputName, long InputSize, IReadOnlyList<string> Outputs, IReadOnlyList<string> PrecedingTransforms,
    IReadOnlyList<string> Inputs, string? NotExportedBecause = null)
{
    /// <summary>The file holds the whole pipeline and reads the raw input columns (a date column as its parts: <see cref="DatePartInputs"/>).</summary>
    public bool WholePipeline => PrecedingTransforms.Count == 0 && !Inputs.SequenceEqual(new[] { InputName });

    /// <summary>
    /// The inputs that read a date column as its parts, a float [batch, 9] tensor in the order of
    /// <see cref="MlToolkit.Pipelines.Dates.DateTimePartsTransformer.PartNames"/> (as <see cref="MlToolkit.Pipelines.Dates.DateTimePartsTransformer.Expand"/>
    /// writes them; NaN for a missing date): ONNX has no operator that reads a date from text.
    /// </summary>
    public IReadOnlyList<string> DatePartInputs { get; init; } = Array.Empty<string>();
}
