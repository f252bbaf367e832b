using MlToolkit.Trainers.Torch.Scoring;
using static TorchSharp.torch;

namespace MlToolkit.Models.Onnx;

/// <summary>A network's float parameters and buffers by their state-dict names, as arrays with their shapes.</summary>
internal sealed class WeightTable
{
    private readonly Dictionary<string, (float[] Values, long[] Shape)> _weights;

    private WeightTable(Dictionary<string, (float[] Values, long[] Shape)> weights, bool int8)
    {
        _weights = weights;
        Int8 = int8;
    }

    /// <summary>The network's matrices and kernels are int8 per output channel: they are written as int8 with DequantizeLinear.</summary>
    public bool Int8 { get; }

    public static WeightTable Of(TorchNetwork network)
    {
        using var noGrad = no_grad();
        // Batch norm's num_batches_tracked counter is int64 and not a weight.
        return new WeightTable(network.Module.state_dict().Where(p => p.Value.dtype == ScalarType.Float32)
            .ToDictionary(p => p.Key, p => (p.Value.detach().cpu().data<float>().ToArray(), p.Value.shape)), network.WeightFormat == WeightFormat.Int8PerChannel);
    }

    public bool Contains(string name) => _weights.ContainsKey(name);

    public (float[] Values, long[] Shape) this[string name] => _weights.TryGetValue(name, out var weight) ? weight
        : throw new InvalidOperationException($"The network has no parameter '{name}' (it has {string.Join(", ", _weights.Keys)}).");

    /// <summary>The weight as an initializer of <paramref name="graph"/>, as stored.</summary>
    public string Add(OnnxGraphBuilder graph, string name)
    {
        var (values, shape) = this[name];
        return Matrix(graph, name, values, shape, axis: 0);
    }

    /// <summary>
    /// A float initializer, or for an int8 network's matrices and kernels int8 codes with their per-output-channel
    /// scales (<paramref name="axis"/>): the quantized values are exact multiples of those scales, so re-encoding them
    /// gives back the codes the model file holds.
    /// </summary>
    public string Matrix(OnnxGraphBuilder graph, string name, float[] values, long[] shape, int axis) =>
        Int8 && shape.Length >= 2 ? graph.Int8Initializer(name, values, shape, axis) : graph.Initializer(name, values, shape);

    /// <summary>A [out, in] Linear weight transposed to [in, out], for MatMul on 3-D activations.</summary>
    public string AddTransposed(OnnxGraphBuilder graph, string name)
    {
        var (values, shape) = this[name];
        return Matrix(graph, name + "_t", Transposed(values, shape), new[] { shape[1], shape[0] }, axis: 1);
    }

    /// <summary>A row-major [rows, columns] matrix as [columns, rows].</summary>
    public static T[] Transposed<T>(T[] values, long[] shape)
    {
        long rows = shape[0], columns = shape[1];
        var transposed = new T[values.Length];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < columns; c++)
                transposed[c * rows + r] = values[r * columns + c];
        return transposed;
    }
}
