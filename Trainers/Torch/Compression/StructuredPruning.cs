using Microsoft.ML;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>
/// Structured pruning: removes the given share of the hidden units of every MLP layer and of the channels of every
/// CNN conv block (and the units of its dense layers), keeping the strongest, then fine-tunes. The result is a
/// narrower network of the same kind: its model file is smaller and it scores faster, unlike magnitude pruning's zeros.
/// A unit's strength is the norm of what it computes times the norm of what it feeds on (|γ|/σ of its batch norm
/// instead of its incoming weights when it has one); a channel's is the norm of its filter, times |γ|/σ with batch norm.
/// </summary>
public static class StructuredPruning
{
    private const double NormEpsilon = 1e-5;

    /// <summary>
    /// A narrower copy of <paramref name="transformer"/> with <paramref name="fraction"/> of each layer's units or
    /// channels removed (at least one kept), fine-tuned on <paramref name="trainData"/> as <see cref="MagnitudePruning"/> does.
    /// </summary>
    /// <exception cref="NotSupportedException">The network is not an MLP or a CNN.</exception>
    public static StructuredPruningResult Prune(TorchPredictionTransformer transformer, double fraction, IDataView trainData, TorchTrainerOptions fineTuning)
    {
        FineTuning.CheckArguments(transformer, fraction, trainData, fineTuning);
        var network = transformer.Network;
        Dictionary<string, Tensor> state;
        NetworkArchitecture architecture;
        using (no_grad())
        {
            state = network.Module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
            architecture = network.Architecture switch
            {
                MlpArchitecture mlp => Narrow(mlp, state, fraction),
                CnnArchitecture cnn => Narrow(cnn, state, fraction, network.InputShape),
                var other => throw new NotSupportedException($"Structured pruning of {other.GetType().Name} networks is not implemented (MLP units and CNN channels are pruned; magnitude pruning works on every network)."),
            };
        }
        var module = architecture.Build(network.InputShape, network.Head.OutputSize);
        module.load_state_dict(state);
        if (fineTuning.Epochs > 0)
            FineTuning.Run(module, network, trainData, fineTuning);
        return new StructuredPruningResult(FineTuning.Result(transformer, module, architecture), Count(network.Module), Count(module));
    }

    private static MlpArchitecture Narrow(MlpArchitecture mlp, Dictionary<string, Tensor> state, double fraction)
    {
        var widths = new List<int>();
        for (var i = 0; i < mlp.HiddenLayers.Count; i++)
        {
            var next = i + 1 < mlp.HiddenLayers.Count ? $"linear{i + 1}" : "output";
            var keep = DropUnits(state, $"linear{i}", mlp.BatchNorm ? $"norm{i}" : null, next, fraction);
            widths.Add((int)keep.shape[0]);
        }
        return mlp with { HiddenLayers = widths };
    }

    private static CnnArchitecture Narrow(CnnArchitecture cnn, Dictionary<string, Tensor> state, double fraction, long[] inputShape)
    {
        long height = inputShape[1], width = inputShape[2];
        var blocks = new List<ConvBlock>();
        for (var i = 0; i < cnn.Blocks.Count; i++)
        {
            var block = cnn.Blocks[i];
            var filters = state[$"conv{i}.weight"];
            var strength = filters.flatten(1).Squared().sum(1).sqrt();
            if (block.BatchNorm)
                strength = strength * NormScale(state, $"norm{i}");
            var keep = Strongest(strength, fraction);
            Select(state, $"conv{i}", 0, keep);
            if (block.BatchNorm)
                Select(state, $"norm{i}", 0, keep);
            if (block.Pool > 1)
                (height, width) = (height / block.Pool, width / block.Pool);
            if (i + 1 < cnn.Blocks.Count)
                SelectWeightColumns(state, $"conv{i + 1}", keep);
            else
                SelectWeightColumns(state, cnn.DenseLayers.Count > 0 ? "dense0" : "output", FlattenedIndexes(keep, height * width));
            blocks.Add(block with { Channels = (int)keep.shape[0] });
        }
        var dense = new List<int>();
        for (var i = 0; i < cnn.DenseLayers.Count; i++)
            dense.Add((int)DropUnits(state, $"dense{i}", null, i + 1 < cnn.DenseLayers.Count ? $"dense{i + 1}" : "output", fraction).shape[0]);
        return cnn with { Blocks = blocks, DenseLayers = dense };
    }

    /// <summary>Removes the weakest units of Linear layer <paramref name="layer"/> (and its norm), and their columns in <paramref name="next"/>.</summary>
    private static Tensor DropUnits(Dictionary<string, Tensor> state, string layer, string? norm, string next, double fraction)
    {
        var incoming = norm is null ? state[$"{layer}.weight"].Squared().sum(1).sqrt() : NormScale(state, norm);
        // Column norms via the transpose: a literal 0 as sum's argument would bind to its ScalarType overload.
        var outgoing = state[$"{next}.weight"].t().Squared().sum(1).sqrt();
        var keep = Strongest(incoming * outgoing, fraction);
        Select(state, layer, 0, keep);
        if (norm is not null)
            Select(state, norm, 0, keep);
        SelectWeightColumns(state, next, keep);
        return keep;
    }

    /// <summary>|γ| / √(running variance + ε): how much a batch norm amplifies its unit.</summary>
    private static Tensor NormScale(Dictionary<string, Tensor> state, string norm) =>
        state[$"{norm}.weight"].abs() / state[$"{norm}.running_var"].Plus(NormEpsilon).sqrt();

    /// <summary>Indexes of the strongest (1 − <paramref name="fraction"/>) entries, at least one, in their original order.</summary>
    private static Tensor Strongest(Tensor strength, double fraction)
    {
        var count = Math.Max(1, (int)Math.Round(strength.shape[0] * (1 - fraction), MidpointRounding.AwayFromZero));
        var (_, indexes) = strength.topk(count);
        var (ordered, _) = indexes.sort();
        return ordered;
    }

    /// <summary>The flattened [channel · area + position] columns of the kept channels.</summary>
    private static Tensor FlattenedIndexes(Tensor channels, long area) =>
        channels.unsqueeze(1).Times(area).Plus(HeldScalars.Range(area, ScalarType.Int64).unsqueeze(0)).flatten();

    /// <summary>Keeps rows <paramref name="keep"/> (along <paramref name="dimension"/>) of every tensor of <paramref name="layer"/> that has that many entries.</summary>
    private static void Select(Dictionary<string, Tensor> state, string layer, long dimension, Tensor keep)
    {
        foreach (var name in state.Keys.Where(k => k.StartsWith(layer + ".", StringComparison.Ordinal)).ToList())
            if (state[name].dim() > dimension)
                state[name] = state[name].index_select(dimension, keep);
    }

    private static void SelectWeightColumns(Dictionary<string, Tensor> state, string layer, Tensor keep) =>
        state[$"{layer}.weight"] = state[$"{layer}.weight"].index_select(1, keep);

    private static long Count(nn.Module<Tensor, Tensor> module) => module.parameters().Sum(p => p.numel());
}

/// <summary>A structurally pruned network and its parameter counts before and after.</summary>
/// <param name="Model">The narrower, fine-tuned network.</param>
/// <param name="ParametersBefore">Learned parameters of the original network.</param>
/// <param name="ParametersAfter">Learned parameters of the narrower one.</param>
public sealed record StructuredPruningResult(TorchPredictionTransformer Model, long ParametersBefore, long ParametersAfter);
