using Microsoft.ML;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>
/// Magnitude pruning: the given share of the weights in matrices and kernels (Linear, Conv, Embedding, recurrent)
/// with the smallest magnitudes are set to zero, ranked within each matrix (<see cref="PruningScope.PerLayer"/>) or
/// across the whole network (<see cref="PruningScope.Global"/>); the network is then fine-tuned with those weights held
/// at zero after every step. Biases and norms are kept.
/// </summary>
public static class MagnitudePruning
{
    /// <summary>
    /// A pruned copy of <paramref name="transformer"/>, fine-tuned on <paramref name="trainData"/> (its feature and
    /// label columns as the network was trained on) with <paramref name="fineTuning"/>'s optimizer settings and epochs.
    /// </summary>
    /// <param name="transformer">The trained network.</param>
    /// <param name="sparsity">Share of the weights to zero, in [0, 1).</param>
    /// <param name="trainData">Rows to fine-tune on.</param>
    /// <param name="fineTuning">Optimizer settings and epochs of the fine-tuning.</param>
    /// <param name="scope">
    /// Per layer (default): every matrix loses the same share, which keeps small layers alive beside a large embedding
    /// whose weights are on another scale (global ranking at 50% empties a transformer's blocks). Global: the share of
    /// the whole network, which spares the layers that matter most when their weights share one scale (CNNs).
    /// </param>
    public static PruningResult Prune(TorchPredictionTransformer transformer, double sparsity, IDataView trainData, TorchTrainerOptions fineTuning,
        PruningScope scope = PruningScope.PerLayer)
    {
        FineTuning.CheckArguments(transformer, sparsity, trainData, fineTuning);
        var network = transformer.Network;
        var module = network.Architecture.Build(network.InputShape, network.Head.OutputSize);
        using (no_grad())
            module.load_state_dict(network.Module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone()));
        var masks = Masks(module, sparsity, scope);
        void ApplyMasks()
        {
            using var noGrad = no_grad();
            foreach (var (weight, mask) in masks)
                weight.mul_(mask);
        }
        ApplyMasks();
        if (fineTuning.Epochs > 0)
            FineTuning.Run(module, network, trainData, fineTuning, ApplyMasks);
        return new PruningResult(FineTuning.Result(transformer, module, network.Architecture), Sparsity(masks));
    }

    private static List<(TorchSharp.Modules.Parameter Weight, Tensor Mask)> Masks(nn.Module<Tensor, Tensor> module, double sparsity, PruningScope scope)
    {
        var weights = module.parameters().Where(p => p.dim() >= 2).ToList();
        using var noGrad = no_grad();
        if (scope == PruningScope.Global)
        {
            var cut = Cut(weights.SelectMany(w => w.detach().abs().data<float>().ToArray()).ToArray(), sparsity);
            return weights.Select(w => (w, Mask(w, cut))).ToList();
        }
        return weights.Select(w => (w, Mask(w, Cut(w.detach().abs().data<float>().ToArray(), sparsity)))).ToList();
    }

    /// <summary>The magnitude below which (inclusive) the <paramref name="sparsity"/> share of <paramref name="magnitudes"/> lies.</summary>
    private static float Cut(float[] magnitudes, double sparsity)
    {
        var count = (int)(sparsity * magnitudes.Length);
        if (count == 0)
            return -1;
        Array.Sort(magnitudes);
        return magnitudes[count - 1];
    }

    private static Tensor Mask(TorchSharp.Modules.Parameter weight, float cut) =>
        weight.detach().abs().GreaterThan(cut).to_type(ScalarType.Float32).DetachFromDisposeScope();

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

/// <summary>Over which weights magnitude pruning ranks.</summary>
public enum PruningScope
{
    /// <summary>Within each matrix or kernel: every layer loses the same share.</summary>
    PerLayer,

    /// <summary>Across all matrices and kernels of the network.</summary>
    Global,
}

/// <summary>A pruned network and the share of its matrix and kernel weights that are zero.</summary>
/// <param name="Model">The pruned, fine-tuned network.</param>
/// <param name="Sparsity">Share of zero weights in its matrices and kernels.</param>
public sealed record PruningResult(TorchPredictionTransformer Model, double Sparsity);
