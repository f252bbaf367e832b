using System.Text.Json;
using System.Text.Json.Nodes;
using MlToolkit.Data.IO;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Trainers.Torch.Compression;
using MlToolkit.Trainers.Torch.Heads;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Trainers.Torch.Persistence;

/// <summary>
/// A fitted torch transformer as a model-file segment: its TorchSharp weights plus a JSON state (architecture and
/// head by their registered kinds, input shape, columns). The model container stores both and hands them back here.
/// </summary>
public static class TorchTransformerFiles
{
    private const string Int8Format = "int8-per-channel";

    /// <summary>The JSON state of <paramref name="transformer"/> and the writer of its weights.</summary>
    /// <exception cref="NotSupportedException">Its architecture or head type is not registered.</exception>
    public static (JsonNode State, Action<Stream> WriteWeights) Save(TorchPredictionTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var network = transformer.Network;
        var state = new TorchTransformerState(network.Architecture, network.Head.Task, network.Head.ClassNames.ToArray(), network.InputShape,
            transformer.FeatureColumnName, transformer.InferenceBatchSize, transformer.Threads, network.Head.State.ToArray(),
            PredictionHeads.KindOf(network.Head), network.WeightFormat == WeightFormat.Int8PerChannel ? Int8Format : null);
        Action<Stream> weights = network.WeightFormat == WeightFormat.Int8PerChannel ? stream => Int8Quantization.Write(network, stream) : network.SaveWeights;
        return (JsonSerializer.SerializeToNode(state, ToolkitJson.Indented)!, weights);
    }

    /// <summary>Rebuilds a transformer from <paramref name="state"/> and its <paramref name="weights"/>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="ModelFormatException">The state names an unregistered kind, or the weights do not fit the architecture.</exception>
    public static TorchPredictionTransformer Load(JsonNode state, Stream weights, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(weights);
        TorchTransformerState saved;
        try
        {
            saved = state.Deserialize<TorchTransformerState>(ToolkitJson.Indented) ?? throw new ModelFormatException($"{source}: the torch segment has no state");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{source}: the torch segment's state is invalid: {e.Message}", e);
        }
        TorchRuntime.EnsureLoaded();
        var head = PredictionHeads.Restore(saved.HeadKind, saved.Task, saved.ClassNames, saved.HeadState);
        var module = saved.Architecture.Build(saved.InputShape, head.OutputSize);
        try
        {
            if (saved.WeightFormat == Int8Format)
                Int8Quantization.LoadInto(module, weights, source);
            else
                module.load(weights, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            module.Dispose();
            throw new ModelFormatException($"{source}: the torch weights do not fit the saved {saved.Architecture.GetType().Name}: {e.Message}", e);
        }
        // The thread count trained with is the trainer's setting, not the host's: a loaded model scores with the host's
        // torch threads (torch's count is process-wide, and loading a model must not change it).
        var format = saved.WeightFormat == Int8Format ? WeightFormat.Int8PerChannel : WeightFormat.Float32;
        return new TorchPredictionTransformer(new TorchNetwork(module, saved.Architecture, head, saved.InputShape, format), saved.FeatureColumnName, saved.InferenceBatchSize, threads: null);
    }
}
