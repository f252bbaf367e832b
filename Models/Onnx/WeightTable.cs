using MlToolkit.Trainers.Torch.Scoring;
using static TorchSharp.torch;

namespace MlToolkit.Models.Onnx;

/// <summary>A network's float parameters and buffers by their state-dict names, as arrays with their shapes.</summary>
internal sealed class WeightTable
{
    private readonly Dictionary<string, (float[] Values, long[] Shape)> _weights;

    private WeightTable(Dictionary<string, (float[] Values, long[] Shape)> weights) => _weights = weights;

    public static WeightTable Of(TorchNetwork network)
    {
        using var noGrad = no_grad();
        // Batch norm's num_batches_tracked counter is int64 and not a weight.
        return new WeightTable(network.Module.state_dict().Where(p => p.Value.dtype == ScalarType.Float32)
            .ToDictionary(p => p.Key, p => (p.Value.detach().cpu().data<float>().ToArray(), p.Value.shape)));
    }

    public bool Contains(string name) => _weights.ContainsKey(name);

    public (float[] Values, long[] Shape) this[string name] => _weights.TryGetValue(name, out var weight) ? weight
        : throw new InvalidOperationException($"The network has no parameter '{name}' (it has {string.Join(", ", _weights.Keys)}).");

    /// <summary>The weight as an initializer of <paramref name="graph"/>, as stored.</summary>
    public string Add(OnnxGraphBuilder graph, string name)
    {
        var (values, shape) = this[name];
        return graph.Initializer(name, values, shape);
    }

    /// <summary>A [out, in] Linear weight transposed to [in, out], for MatMul on 3-D activations.</summary>
    public string AddTransposed(OnnxGraphBuilder graph, string name)
    {
        var (values, shape) = this[name];
        long rows = shape[0], columns = shape[1];
        var transposed = new float[values.Length];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < columns; c++)
                transposed[c * rows + r] = values[r * columns + c];
        return graph.Initializer(name + "_t", transposed, columns, rows);
    }
}
