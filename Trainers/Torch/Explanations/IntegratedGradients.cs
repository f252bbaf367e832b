using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Explanations;

/// <summary>
/// Integrated gradients (Sundararajan et al., 2017) of one output of a torch model: the gradient averaged along the
/// straight path from a baseline (all zeros: a black image, empty embeddings) to the input, times input − baseline.
/// The attributions add up to output(input) − output(baseline), up to the path integral's discretization.
/// </summary>
public static class IntegratedGradients
{
    /// <summary>The index of <paramref name="transformer"/>'s postprocessed output that holds class <paramref name="classIndex"/>'s probability (binary: the positive class; regression: the value).</summary>
    public static int OutputIndex(TorchPredictionTransformer transformer, int classIndex)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return transformer.Task switch
        {
            PredictionTask.MulticlassClassification => classIndex,
            PredictionTask.BinaryClassification => 1,
            _ => 0,
        };
    }

    /// <summary>Attributions of every value of <paramref name="features"/> (one example, e.g. an image's pixels) to output <paramref name="outputIndex"/>.</summary>
    public static IntegratedGradientsResult ForFeatures(TorchPredictionTransformer transformer, float[] features, int outputIndex, int steps = 64)
    {
        var network = Check(transformer, features, steps);
        using var scope = NewDisposeScope();
        var input = Example(network, features);
        var path = Path(zeros_like(input), input, steps).requires_grad_(true);
        var output = network.Head.Postprocess(network.Module.forward(path)).select(1, outputIndex);
        output.sum().backward();
        var attributions = path.grad!.mean(new long[] { 0 }, keepdim: true) * input;
        return Result(network, input, zeros_like(input), attributions.reshape(-1), outputIndex);
    }

    /// <summary>
    /// Attributions of every token position of <paramref name="tokenIds"/> (one example, padding included) to output
    /// <paramref name="outputIndex"/>, taken on the token embeddings and summed over the embedding width.
    /// </summary>
    /// <exception cref="ArgumentException">The network does not read token ids.</exception>
    public static IntegratedGradientsResult ForTokens(TorchPredictionTransformer transformer, float[] tokenIds, int outputIndex, int steps = 64)
    {
        var network = Check(transformer, tokenIds, steps);
        if (network.Module is not IEmbeddedSequenceNetwork sequence)
            throw new ArgumentException($"The {network.Architecture.GetType().Name} does not read token ids through embeddings.", nameof(transformer));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (embedded, mask) = sequence.Embed(Example(network, tokenIds));
        using var withGrad = enable_grad();
        var path = Path(zeros_like(embedded), embedded, steps).requires_grad_(true);
        var output = network.Head.Postprocess(sequence.ForwardEmbedded(path, mask.expand(steps, mask.shape[1]))).select(1, outputIndex);
        output.sum().backward();
        var attributions = (path.grad!.mean(new long[] { 0 }, keepdim: true) * embedded).sum(2).reshape(-1);
        var atInput = network.Head.Postprocess(sequence.ForwardEmbedded(embedded, mask)).select(1, outputIndex);
        var atBaseline = network.Head.Postprocess(sequence.ForwardEmbedded(zeros_like(embedded), mask)).select(1, outputIndex);
        return new IntegratedGradientsResult(attributions.detach().data<float>().ToArray(), atInput.item<float>(), atBaseline.item<float>());
    }

    private static TorchNetwork Check(TorchPredictionTransformer transformer, float[] values, int steps)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        TorchRuntime.EnsureLoaded();
        var network = transformer.Network;
        if (values.Length != network.FeatureSize)
            throw new ArgumentException($"The example has {values.Length} values; the network reads {network.FeatureSize}.", nameof(values));
        network.Module.eval();
        return network;
    }

    private static Tensor Example(TorchNetwork network, float[] values) =>
        Tensors.FromBuffer(values, new long[] { 1 }.Concat(network.InputShape).ToArray());

    /// <summary><paramref name="steps"/> points along baseline → input, at the midpoints of equal segments.</summary>
    private static Tensor Path(Tensor baseline, Tensor input, int steps)
    {
        var alphas = HeldScalars.Range(steps, ScalarType.Float32).Plus(0.5).Times(1.0 / steps);
        var shape = new long[] { steps }.Concat(Enumerable.Repeat(1L, (int)input.dim() - 1)).ToArray();
        return baseline.Plus(alphas.reshape(shape) * (input - baseline));
    }

    private static IntegratedGradientsResult Result(TorchNetwork network, Tensor input, Tensor baseline, Tensor attributions, int outputIndex)
    {
        using var noGrad = no_grad();
        var atInput = network.Head.Postprocess(network.Module.forward(input)).select(1, outputIndex).item<float>();
        var atBaseline = network.Head.Postprocess(network.Module.forward(baseline)).select(1, outputIndex).item<float>();
        return new IntegratedGradientsResult(attributions.detach().data<float>().ToArray(), atInput, atBaseline);
    }
}

/// <summary>Integrated-gradients attributions and the outputs they explain the difference of.</summary>
/// <param name="Attributions">One per input value (or token position).</param>
/// <param name="Output">The output at the input.</param>
/// <param name="BaselineOutput">The output at the baseline.</param>
public sealed record IntegratedGradientsResult(float[] Attributions, double Output, double BaselineOutput);
