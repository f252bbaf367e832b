using System.Numerics;
using MlToolkit.Trainers.Torch.Forests;
using MlToolkit.Trainers.Torch.Kernels;
using MlToolkit.Trainers.Torch.Neighbors;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static MlToolkit.Models.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// The closed-form networks (kernel machine, k nearest neighbours, forest) as ONNX graphs: the kernel machine and the
/// neighbours written op for op, in the same arithmetic (float64 for the kernel machine), and the forest as ONNX's own
/// tree ensemble, so ONNX Runtime gives the scores the model does.
/// Each method returns the name of the network's output, which the head's postprocessing then reads.
/// </summary>
internal static class ClosedFormOnnxExport
{
    // As ClosedFormOutputs and the neighbours' distance weights.
    private const float Floor = 1e-6f;
    private const float ExactMatch = 1e-12f;

    /// <summary>temperature · (exp(−γ‖x − l‖²) · coefficients + bias), in float64 as the module computes it.</summary>
    public static string KernelMachine(OnnxGraphBuilder graph, KernelMachineArchitecture shape, TorchNetwork network, string input)
    {
        var (landmarks, landmarkShape) = Buffer<double>(network, "landmarks");
        var (coefficients, coefficientShape) = Buffer<double>(network, "coefficients");
        var x = graph.Node("Cast", new[] { Flat(graph, input, network) }, null, Int("to", (long)global::Onnx.TensorProto.Types.DataType.Double));
        var distances = SquaredDistances(graph, x, "landmarks", WeightTable.Transposed(landmarks, landmarkShape), landmarkShape, graph.DoubleInitializer);
        var kernel = graph.Node("Exp", new[] { graph.Node("Mul", new[] { distances, graph.DoubleInitializer("minus_gamma", new[] { -shape.Gamma }) }) });
        var linear = graph.Node("Add", new[] { graph.Node("MatMul", new[] { kernel, graph.DoubleInitializer("coefficients", coefficients, coefficientShape) }),
            graph.DoubleInitializer("bias", Buffer<double>(network, "bias").Values, coefficientShape[1]) });
        var scaled = graph.Node("Mul", new[] { linear, graph.DoubleInitializer("temperature", Buffer<double>(network, "temperature").Values) });
        return graph.Node("Cast", new[] { scaled }, null, Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
    }

    /// <summary>The (distance-weighted) average of the k nearest training rows' targets, as the head's logits or value.</summary>
    public static string NearestNeighbors(OnnxGraphBuilder graph, NearestNeighborsArchitecture shape, TorchNetwork network, string input)
    {
        var (examples, exampleShape) = Buffer<float>(network, "examples");
        var (targets, targetShape) = Buffer<float>(network, "targets");
        var x = Flat(graph, input, network);
        var distances = SquaredDistances(graph, x, "examples", WeightTable.Transposed(examples, exampleShape), exampleShape, graph.Initializer);
        var k = Math.Min(shape.Neighbors, shape.Rows);
        var (index, nearest) = ChooseNeighbors(graph, x, distances, graph.Initializer("examples", examples, exampleShape), k, (int)Math.Min(2L * k, shape.Rows));
        var weights = shape.Weighting == NeighborWeighting.Distance ? DistanceWeights(graph, nearest)
            : graph.Node("Add", new[] { graph.Node("Mul", new[] { nearest, graph.Scalar("uniform_zero", 0f) }), graph.Scalar("uniform_one", 1f) });
        var votes = graph.Node("Gather", new[] { graph.Initializer("targets", targets, targetShape), index }, null, Int("axis", 0));
        var weighted = graph.Node("ReduceSum", new[] { graph.Node("Mul", new[] { graph.Node("Unsqueeze", new[] { weights, graph.Int64s("axis_2", 2) }), votes }), graph.Int64s("axis_1", 1) }, null, Int("keepdims", 0));
        var total = graph.Node("ReduceSum", new[] { weights, graph.Int64s("axis_1_total", 1) }, null, Int("keepdims", 1));
        return FromProbabilities(graph, graph.Node("Div", new[] { weighted, total }), shape.Output);
    }

    /// <summary>
    /// As the module chooses: twice k candidates on the product-form distances, put in row order, measured again as
    /// differences, and the k nearest of them taken (TopK keeps the lower position, so the lower row, on ties).
    /// </summary>
    private static (string Index, string Distances) ChooseNeighbors(OnnxGraphBuilder graph, string x, string distances, string examples, int k, int candidates)
    {
        var candidateIndex = graph.Fresh("candidate_index");
        graph.NodeWithOutputs("TopK", new[] { distances, graph.Int64s("candidates", candidates) }, new[] { graph.Fresh("candidate_distance"), candidateIndex }, Int("axis", 1), Int("largest", 0), Int("sorted", 1));
        // Row numbers below 2^24 are exact in float32: TopK over them, ascending, is a sort.
        var rowOrder = graph.Fresh("row_order");
        graph.NodeWithOutputs("TopK", new[] { graph.Node("Cast", new[] { candidateIndex }, null, Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float)), graph.Int64s("candidates_sorted", candidates) },
            new[] { graph.Fresh("row_numbers"), rowOrder }, Int("axis", 1), Int("largest", 0), Int("sorted", 1));
        var inRowOrder = graph.Node("GatherElements", new[] { candidateIndex, rowOrder }, null, Int("axis", 1));
        var gaps = graph.Node("Sub", new[] { graph.Node("Gather", new[] { examples, inRowOrder }, null, Int("axis", 0)), graph.Node("Unsqueeze", new[] { x, graph.Int64s("axis_1_rows", 1) }) });
        var measured = graph.Node("ReduceSum", new[] { graph.Node("Mul", new[] { gaps, gaps }), graph.Int64s("axis_2_gaps", 2) }, null, Int("keepdims", 0));
        var (nearest, position) = (graph.Fresh("nearest"), graph.Fresh("nearest_position"));
        graph.NodeWithOutputs("TopK", new[] { measured, graph.Int64s("k", k) }, new[] { nearest, position }, Int("axis", 1), Int("largest", 0), Int("sorted", 1));
        return (graph.Node("GatherElements", new[] { inRowOrder, position }, null, Int("axis", 1)), nearest);
    }

    /// <summary>
    /// The trees as one ONNX TreeEnsembleRegressor that averages their leaves' values (ONNX Runtime walks them natively),
    /// then the head's logits or value from the averages.
    /// </summary>
    public static string Forest(OnnxGraphBuilder graph, ForestArchitecture shape, TorchNetwork network, string input)
    {
        var (values, valueShape) = Buffer<float>(network, "values");
        var trees = new TreeEnsembleAttributes(Buffer<long>(network, "feature").Values, Buffer<float>(network, "threshold").Values,
            Buffer<long>(network, "left").Values, Buffer<long>(network, "right").Values, values, Buffer<long>(network, "roots").Values, (int)valueShape[1]);
        var average = graph.MlNode("TreeEnsembleRegressor", new[] { Flat(graph, input, network) }, trees.Averaging());
        return FromProbabilities(graph, average, shape.Output);
    }

    /// <summary>[rows, features]: the input flattened as the modules' <c>reshape(rows, -1)</c>.</summary>
    private static string Flat(OnnxGraphBuilder graph, string input, TorchNetwork network) =>
        graph.Node("Reshape", new[] { input, graph.Int64s(graph.Fresh("features_shape"), -1, network.FeatureSize) });

    /// <summary>‖x‖² + ‖y‖² − 2x·y, at least 0, in the order <c>SquaredDistances.Between</c> sums them.</summary>
    private static string SquaredDistances<T>(OnnxGraphBuilder graph, string x, string name, T[] transposed, long[] shape, Func<string, T[], long[], string> initializer)
        where T : unmanaged, IFloatingPoint<T>
    {
        long rows = shape[0], width = shape[1];
        var norms = new T[rows];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < width; c++)
                norms[r] += transposed[c * rows + r] * transposed[c * rows + r];
        var product = graph.Node("MatMul", new[] { x, initializer(name + "_t", transposed, new[] { width, rows }) });
        var minusTwo = graph.Node("Mul", new[] { product, initializer(graph.Fresh("minus_two"), new[] { T.CreateChecked(-2) }, Array.Empty<long>()) });
        var withY = graph.Node("Add", new[] { minusTwo, initializer(name + "_norms", norms, new[] { 1L, rows }) });
        var withX = graph.Node("Add", new[] { withY, graph.Node("ReduceSumSquare", new[] { x }, null, Ints("axes", 1), Int("keepdims", 1)) });
        return graph.Node("Max", new[] { withX, initializer(graph.Fresh("zero"), new[] { T.Zero }, Array.Empty<long>()) });
    }

    /// <summary>1 / distance; a row at distance 0 takes all the weight (with its exact twins).</summary>
    private static string DistanceWeights(OnnxGraphBuilder graph, string squared)
    {
        var exact = graph.Node("Cast", new[] { graph.Node("LessOrEqual", new[] { squared, graph.Scalar("exact_match", ExactMatch) }) }, null, Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
        var inverse = graph.Node("Reciprocal", new[] { graph.Node("Sqrt", new[] { graph.Node("Max", new[] { squared, graph.Scalar("exact_floor", ExactMatch) }) }) });
        var anyExact = graph.Node("Greater", new[] { graph.Node("ReduceMax", new[] { exact }, null, Ints("axes", 1), Int("keepdims", 1)), graph.Scalar("none_exact", 0f) });
        return graph.Node("Where", new[] { anyExact, exact, inverse });
    }

    /// <summary>As <c>ClosedFormOutputs.FromProbabilities</c>: logits whose softmax or sigmoid gives the averages back, floored.</summary>
    private static string FromProbabilities(OnnxGraphBuilder graph, string probabilities, ClosedFormOutput output) => output switch
    {
        ClosedFormOutput.ClassLogits => graph.Node("Log", new[] { graph.Node("Max", new[] { probabilities, graph.Scalar("floor", Floor) }) }),
        ClosedFormOutput.BinaryLogit => graph.Node("Sub", new[]
        {
            graph.Node("Log", new[] { graph.Node("Clip", new[] { probabilities, graph.Scalar("floor", Floor), graph.Scalar("ceiling", 1 - Floor) }) }),
            graph.Node("Log", new[] { graph.Node("Clip", new[] { graph.Node("Sub", new[] { graph.Scalar("one_minus", 1f), probabilities }), "floor", "ceiling" }) }),
        }),
        _ => probabilities,
    };

    /// <summary>One of the module's buffers, as stored.</summary>
    private static (T[] Values, long[] Shape) Buffer<T>(TorchNetwork network, string name) where T : unmanaged
    {
        using var noGrad = no_grad();
        var tensor = network.Module.state_dict().TryGetValue(name, out var found) ? found
            : throw new InvalidOperationException($"The {network.Architecture.GetType().Name} network has no buffer '{name}'.");
        return (tensor.detach().cpu().data<T>().ToArray(), tensor.shape);
    }
}
