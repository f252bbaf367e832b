using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Heads;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Scoring;

/// <summary>
/// A trained network ready to score: the module (in eval mode), the architecture it was built from, the task
/// head, and the shape of one input example. Scores whole batches per forward pass.
/// </summary>
public sealed class TorchNetwork : IDisposable
{
    private readonly object _gate = new();

    internal TorchNetwork(nn.Module<Tensor, Tensor> module, NetworkArchitecture architecture, PredictionHead head, long[] inputShape, WeightFormat weightFormat = WeightFormat.Float32)
    {
        WeightFormat = weightFormat;
        Module = module;
        Architecture = architecture;
        Head = head;
        InputShape = inputShape;
        FeatureSize = checked((int)inputShape.Aggregate(1L, (a, b) => a * b));
        Module.eval();
    }

    /// <summary>How the weights are stored in a model file: as trained, or int8-quantized (the module holds their dequantized values).</summary>
    public WeightFormat WeightFormat { get; }

    /// <summary>The TorchSharp module.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The architecture the module was built from.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>The task head: output columns and postprocessing.</summary>
    public PredictionHead Head { get; }

    /// <summary>Shape of one example, e.g. [64] or [1, 28, 28].</summary>
    public long[] InputShape { get; }

    /// <summary>Number of floats in one example.</summary>
    public int FeatureSize { get; }

    /// <summary>Scores <paramref name="count"/> examples laid out one after another in <paramref name="features"/>;
    /// writes <see cref="PredictionHead.PostprocessedSize"/> values per example into <paramref name="output"/>.</summary>
    public void Score(float[] features, int count, float[] output)
    {
        if (count == 0)
            return;
        var shape = new long[InputShape.Length + 1];
        shape[0] = count;
        InputShape.CopyTo(shape, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = Training.Tensors.FromBuffer(features, shape);
        Tensor result;
        // Modules with batch norm or dropout are stateful in training mode; keep scoring in eval mode and serialized
        // against a concurrent save.
        lock (_gate)
            result = Head.Postprocess(Module.forward(input));
        result.data<float>().CopyTo(output.AsSpan(0, count * Head.PostprocessedSize));
    }

    /// <summary>Writes the weights to <paramref name="stream"/> (TorchSharp format).</summary>
    public void SaveWeights(Stream stream)
    {
        lock (_gate)
            Module.save(stream);
    }

    /// <inheritdoc/>
    public void Dispose() => Module.Dispose();
}

/// <summary>How a network's weights are stored in a model file.</summary>
public enum WeightFormat
{
    /// <summary>32-bit floats, as trained.</summary>
    Float32,

    /// <summary>Matrices and kernels as int8 with one symmetric scale per output channel (row); other tensors as float.</summary>
    Int8PerChannel,
}
