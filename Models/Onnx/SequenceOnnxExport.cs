using MlToolkit.Trainers.Torch.Architectures;
using static MlToolkit.Models.Onnx.OnnxGraphBuilder;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// ONNX graphs of the sequence networks over token ids: embedding lookup and padding mask, then LSTM/GRU layers
/// (ONNX's gate order: LSTM i,o,f,c from PyTorch's i,f,g,o; GRU z,r,h from r,z,n, with linear_before_reset) or
/// transformer encoder blocks (masked multi-head attention, layer norm, GELU feed-forward), pooling and the output layer.
/// </summary>
internal static class SequenceOnnxExport
{
    public static string Rnn(OnnxGraphBuilder graph, RnnArchitecture rnn, WeightTable weights, long length, string input)
    {
        var (states, mask) = Embed(graph, weights, rnn.FeaturesPerStep, rnn.VocabularySize, length, input);
        var steps = rnn.FeaturesPerStep is { } perStep ? length / perStep : length;
        var x = graph.Node("Transpose", new[] { states }, null, Ints("perm", 1, 0, 2));
        var name = rnn.Cell == RnnCell.Lstm ? "lstm" : "gru";
        var directions = rnn.Bidirectional ? new[] { "", "_reverse" } : new[] { "" };
        for (var layer = 0; layer < rnn.Layers; layer++)
        {
            string Stack(string kind)
            {
                var shape = weights[$"{name}.{kind}_l{layer}"].Shape;
                var values = directions.SelectMany(d => Reorder(weights[$"{name}.{kind}_l{layer}{d}"].Values, rnn.Cell, rnn.HiddenSize)).ToArray();
                // Rows keep their torch scales when int8: one scale per gate row of each direction, then the [directions, rows, inputs] view ONNX wants.
                var rows = weights.Matrix(graph, graph.Fresh($"{name}_{kind}{layer}_rows"), values, new[] { directions.Length * shape[0], shape[1] }, axis: 0);
                return graph.Node("Reshape", new[] { rows, graph.Int64s(graph.Fresh("gate_shape"), directions.Length, shape[0], shape[1]) });
            }
            var w = Stack("weight_ih");
            var r = Stack("weight_hh");
            var b = graph.Initializer(graph.Fresh($"{name}_bias{layer}"), directions.SelectMany(d =>
                Reorder(weights[$"{name}.bias_ih_l{layer}{d}"].Values, rnn.Cell, rnn.HiddenSize).Concat(Reorder(weights[$"{name}.bias_hh_l{layer}{d}"].Values, rnn.Cell, rnn.HiddenSize))).ToArray(),
                directions.Length, 2 * weights[$"{name}.bias_ih_l{layer}"].Shape[0]);
            var attributes = new List<global::Onnx.AttributeProto> { Int("hidden_size", rnn.HiddenSize), Text("direction", rnn.Bidirectional ? "bidirectional" : "forward") };
            if (rnn.Cell == RnnCell.Gru)
                attributes.Add(Int("linear_before_reset", 1));
            var y = graph.Node(rnn.Cell == RnnCell.Lstm ? "LSTM" : "GRU", new[] { x, w, r, b }, null, attributes.ToArray());
            // Y is [time, directions, batch, hidden]: the next layer reads [time, batch, directions · hidden].
            x = graph.Node("Reshape", new[] { graph.Node("Transpose", new[] { y }, null, Ints("perm", 0, 2, 1, 3)), graph.Int64s(graph.Fresh("shape"), 0, 0, -1) });
        }
        var sequence = graph.Node("Transpose", new[] { x }, null, Ints("perm", 1, 0, 2));
        return TorchOnnxExporter.Dense(graph, weights, "output", Pool(graph, sequence, mask, rnn.Pooling, steps));
    }

    public static string Transformer(OnnxGraphBuilder graph, TransformerArchitecture spec, WeightTable weights, long length, string input)
    {
        var (tokens, mask) = Embed(graph, weights, null, spec.VocabularySize, length, input);
        var scaled = graph.Node("Mul", new[] { tokens, graph.Scalar(graph.Fresh("sqrt_dim"), (float)Math.Sqrt(spec.ModelDim)) });
        var positions = spec.Positional == PositionalEncoding.Learned
            ? weights.Add(graph, "positions.weight")
            : graph.Initializer("sinusoids", PositionalEncodings.Sinusoids(length, spec.ModelDim), length, spec.ModelDim);
        var x = graph.Node("Add", new[] { scaled, positions });
        // Position 0 always stays attendable (an empty text gives zeros, not NaN); masked keys get −1e9 before softmax.
        var first = graph.Initializer("first_position", Enumerable.Range(0, (int)length).Select(i => i == 0 ? 1f : 0f).ToArray(), 1, length);
        var attend = graph.Node("Max", new[] { mask, first });
        var blocked = graph.Node("Mul", new[] { graph.Node("Sub", new[] { graph.Scalar("one", 1f), attend }), graph.Scalar("minus_large", -1e9f) });
        var bias = graph.Node("Unsqueeze", new[] { blocked, graph.Int64s("head_axes", 1, 2) });
        for (var i = 0; i < spec.Layers; i++)
            x = Block(graph, weights, $"blocks.{i}", x, bias, spec);
        var states = spec.PreNorm ? LayerNorm(graph, weights, "finalNorm", x) : x;
        return TorchOnnxExporter.Dense(graph, weights, "output", Pool(graph, states, mask, spec.Pooling, length));
    }

    private static string Block(OnnxGraphBuilder graph, WeightTable weights, string prefix, string x, string bias, TransformerArchitecture spec)
    {
        if (spec.PreNorm)
        {
            x = graph.Node("Add", new[] { x, Attend(graph, weights, prefix, LayerNorm(graph, weights, $"{prefix}.norm1", x), bias, spec) });
            return graph.Node("Add", new[] { x, FeedForward(graph, weights, prefix, LayerNorm(graph, weights, $"{prefix}.norm2", x)) });
        }
        x = LayerNorm(graph, weights, $"{prefix}.norm1", graph.Node("Add", new[] { x, Attend(graph, weights, prefix, x, bias, spec) }));
        return LayerNorm(graph, weights, $"{prefix}.norm2", graph.Node("Add", new[] { x, FeedForward(graph, weights, prefix, x) }));
    }

    private static string Attend(OnnxGraphBuilder graph, WeightTable weights, string prefix, string h, string bias, TransformerArchitecture spec)
    {
        var headWidth = spec.ModelDim / spec.Heads;
        var qkv = Linear3d(graph, weights, $"{prefix}.qkv", h);
        // [batch, time, 3·width] → [3, batch, heads, time, head width], as the torch block views and permutes it.
        var parts = graph.Node("Transpose", new[] { graph.Node("Reshape", new[] { qkv, graph.Int64s(graph.Fresh("qkv_shape"), 0, 0, 3, spec.Heads, headWidth) }) }, null, Ints("perm", 2, 0, 3, 1, 4));
        string Part(long index) => graph.Node("Gather", new[] { parts, graph.Int64s(graph.Fresh("part"), index) }, null, Int("axis", 0));
        string Squeezed(long index) => graph.Node("Squeeze", new[] { Part(index), graph.Int64s(graph.Fresh("axis0"), 0) });
        var (q, k, v) = (Squeezed(0), Squeezed(1), Squeezed(2));
        var scores = graph.Node("MatMul", new[] { q, graph.Node("Transpose", new[] { k }, null, Ints("perm", 0, 1, 3, 2)) });
        scores = graph.Node("Add", new[] { graph.Node("Mul", new[] { scores, graph.Scalar(graph.Fresh("inv_sqrt_head"), (float)(1 / Math.Sqrt(headWidth))) }), bias });
        var attended = graph.Node("MatMul", new[] { graph.Node("Softmax", new[] { scores }, null, Int("axis", -1)), v });
        var merged = graph.Node("Reshape", new[] { graph.Node("Transpose", new[] { attended }, null, Ints("perm", 0, 2, 1, 3)), graph.Int64s(graph.Fresh("merge"), 0, 0, -1) });
        return Linear3d(graph, weights, $"{prefix}.projection", merged);
    }

    private static string FeedForward(OnnxGraphBuilder graph, WeightTable weights, string prefix, string h) =>
        Linear3d(graph, weights, $"{prefix}.contract", TorchOnnxExporter.Gelu(graph, Linear3d(graph, weights, $"{prefix}.expand", h)));

    private static string Linear3d(OnnxGraphBuilder graph, WeightTable weights, string layer, string x) =>
        graph.Node("Add", new[] { graph.Node("MatMul", new[] { x, weights.AddTransposed(graph, $"{layer}.weight") }), weights.Add(graph, $"{layer}.bias") });

    private static string LayerNorm(OnnxGraphBuilder graph, WeightTable weights, string layer, string x) =>
        graph.Node("LayerNormalization", new[] { x, weights.Add(graph, $"{layer}.weight"), weights.Add(graph, $"{layer}.bias") }, null, Int("axis", -1), Float("epsilon", 1e-5f));

    /// <summary>Token ids → embeddings [batch, time, width] and the float mask of real tokens; numeric steps → their projection and an all-ones mask.</summary>
    private static (string States, string Mask) Embed(OnnxGraphBuilder graph, WeightTable weights, int? featuresPerStep, int vocabulary, long length, string input)
    {
        if (featuresPerStep is { } perStep)
        {
            var steps = graph.Node("Reshape", new[] { input, graph.Int64s("steps_shape", 0, length / perStep, perStep) });
            var projected = Linear3d(graph, weights, "input.projection", steps);
            var ones = graph.Node("Add", new[] { graph.Node("Mul", new[] { graph.Node("ReduceSum", new[] { steps, graph.Int64s("step_axis", 2) }, null, Int("keepdims", 0)), graph.Scalar("zero", 0f) }), graph.Scalar("one_mask", 1f) });
            return (projected, ones);
        }
        var raw = graph.Node("Cast", new[] { input }, null, Int("to", (long)global::Onnx.TensorProto.Types.DataType.Int64));
        // As SequenceInput does: an id past the vocabulary is read as padding.
        var known = graph.Node("Less", new[] { raw, graph.Int64s("vocabulary_size", vocabulary) });
        var ids = graph.Node("Where", new[] { known, raw, graph.Int64s("unknown_id", 0) });
        var embedded = graph.Node("Gather", new[] { weights.Add(graph, "input.embedding.weight"), ids }, null, Int("axis", 0));
        var padding = graph.Node("Equal", new[] { ids, graph.Int64s("padding_id", 0) });
        var mask = graph.Node("Cast", new[] { graph.Node("Not", new[] { padding }) }, null, Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
        return (embedded, mask);
    }

    /// <summary>Pooling of [batch, time, width] states under the [batch, time] float mask, as <c>Pooling.Apply</c> does.</summary>
    private static string Pool(OnnxGraphBuilder graph, string states, string mask, SequencePooling pooling, long steps)
    {
        switch (pooling)
        {
            case SequencePooling.First:
                return graph.Node("Squeeze", new[] { graph.Node("Gather", new[] { states, graph.Int64s("first", 0) }, null, Int("axis", 1)), graph.Int64s("time_axis", 1) });
            case SequencePooling.Last:
                var last = graph.Node("Max", new[] { graph.Node("Sub", new[] { graph.Node("ReduceSum", new[] { mask, graph.Int64s("time_axes", 1) }, null, Int("keepdims", 1)), graph.Scalar("one_last", 1f) }), graph.Scalar("zero_last", 0f) });
                var positions = graph.Initializer("positions", Enumerable.Range(0, (int)steps).Select(i => (float)i).ToArray(), 1, steps);
                var chosen = graph.Node("Cast", new[] { graph.Node("Equal", new[] { positions, last }) }, null, Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
                return Weighted(graph, states, chosen, divide: false);
            default:
                return Weighted(graph, states, mask, divide: true);
        }
    }

    private static string Weighted(OnnxGraphBuilder graph, string states, string weights, bool divide)
    {
        var expanded = graph.Node("Unsqueeze", new[] { weights, graph.Int64s(graph.Fresh("width_axis"), 2) });
        var sum = graph.Node("ReduceSum", new[] { graph.Node("Mul", new[] { states, expanded }), graph.Int64s(graph.Fresh("time"), 1) }, null, Int("keepdims", 0));
        if (!divide)
            return sum;
        var count = graph.Node("Max", new[] { graph.Node("ReduceSum", new[] { expanded, graph.Int64s(graph.Fresh("time"), 1) }, null, Int("keepdims", 0)), graph.Scalar(graph.Fresh("one"), 1f) });
        return graph.Node("Div", new[] { sum, count });
    }

    /// <summary>PyTorch's gate blocks in ONNX's order: LSTM (i, f, g, o) → (i, o, f, c); GRU (r, z, n) → (z, r, h).</summary>
    private static IEnumerable<float> Reorder(float[] values, RnnCell cell, int hidden)
    {
        var blockSize = values.Length / (cell == RnnCell.Lstm ? 4 : 3);
        var order = cell == RnnCell.Lstm ? new[] { 0, 3, 1, 2 } : new[] { 1, 0, 2 };
        return order.SelectMany(block => values.Skip(block * blockSize).Take(blockSize));
    }
}
