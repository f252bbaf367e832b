using Microsoft.ML;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>
/// Global magnitude pruning: the given share of all weights in matrices and kernels (Linear, Conv, Embedding,
/// recurrent) with the smallest magnitudes, ranked across the whole network, are set to zero; the network is then
/// fine-tuned with those weights held at zero after every step. Biases and norms are kept.
/// </summary>
public static class MagnitudePruning
{
    /// <summary>
    /// A pruned copy of <paramref name="transformer"/>, fine-tuned on <paramref name="trainData"/> (its feature and
    /// label columns as the network was trained on) with <paramref name="fineTuning"/>'s optimizer settings and epochs.
    /// </summary>
    public static PruningResult Prune(TorchPredictionTransformer transformer, double sparsity, IDataView trainData, TorchTrainerOptions fineTuning)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(fineTuning);
        ArgumentOutOfRangeException.ThrowIfLessThan(sparsity, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sparsity, 1.0);
        if (fineTuning.Epochs > 0)
            fineTuning.Validate();
        var network = transformer.Network;
        var module = network.Architecture.Build(network.InputShape, network.Head.OutputSize);
        using (no_grad())
            module.load_state_dict(network.Module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone()));
        var masks = Masks(module, sparsity);
        void ApplyMasks()
        {
            using var noGrad = no_grad();
            foreach (var (weight, mask) in masks)
                weight.mul_(mask);
        }
        ApplyMasks();
        if (fineTuning.Epochs > 0)
            FineTuning.Run(module, network, trainData, fineTuning, ApplyMasks);
        module.eval();
        var pruned = new TorchPredictionTransformer(new TorchNetwork(module, network.Architecture, network.Head, network.InputShape),
            transformer.FeatureColumnName, transformer.InferenceBatchSize, transformer.Threads);
        // Fine-tuning moves an int8 network's weights off the int8 grid: re-quantize so the model scores as its file will.
        return new PruningResult(network.WeightFormat == WeightFormat.Int8PerChannel ? Int8Quantization.Quantize(pruned) : pruned, Sparsity(masks));
    }

    private static List<(TorchSharp.Modules.Parameter Weight, Tensor Mask)> Masks(nn.Module<Tensor, Tensor> module, double sparsity)
    {
        var weights = module.parameters().Where(p => p.dim() >= 2).ToList();
        using var noGrad = no_grad();
        var magnitudes = weights.SelectMany(w => w.detach().abs().data<float>().ToArray()).ToArray();
        Array.Sort(magnitudes);
        var cut = magnitudes.Length == 0 ? 0 : magnitudes[Math.Min(magnitudes.Length - 1, (int)(sparsity * magnitudes.Length))];
        return weights.Select(w => (w, w.detach().abs().GreaterThan(cut).to_type(ScalarType.Float32).DetachFromDisposeScope())).ToList();
    }

    private static double Sparsity(List<(TorchSharp.Modules.Parameter Weight, Tensor Mask)> masks)
    {
        double zeros = 0, total = 0;
        foreach (var (_, mask) in masks)
        {
            total += mask.numel();
            zeros += mask.numel() - mask.sum().item<float>();
        }
        return total == 0 ? 0 : zeros / total;
    }
}

/// <summary>A pruned network and the share of its matrix and kernel weights that are zero.</summary>
/// <param name="Model">The pruned, fine-tuned network.</param>
/// <param name="Sparsity">Share of zero weights in its matrices and kernels.</param>
public sealed record PruningResult(TorchPredictionTransformer Model, double Sparsity);
