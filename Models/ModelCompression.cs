using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Compression;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Models;

/// <summary>Smaller models: the torch network of a model, compressed, in an otherwise unchanged model.</summary>
public static class ModelCompression
{
    /// <summary>
    /// The model with its torch network magnitude-pruned to <paramref name="sparsity"/> and fine-tuned on
    /// <paramref name="data"/> (labelled raw rows, as the model reads them) for <paramref name="epochs"/> epochs.
    /// </summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    public static (TrainedModel Model, double Sparsity) Prune(MLContext mlContext, TrainedModel model, double sparsity, IDataView data, int epochs = 2)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        var (parts, index) = TorchPart(model, "pruned");
        var (torch, featured, fineTuning) = FineTuningInputs(mlContext, model, parts, index, data, epochs);
        var result = MagnitudePruning.Prune(torch, sparsity, featured, fineTuning);
        parts[index] = result.Model;
        return (With(model, parts), result.Sparsity);
    }

    /// <summary>
    /// The model with <paramref name="fraction"/> of the units of each MLP layer or of the channels of each CNN block
    /// removed (see <see cref="StructuredPruning"/>) and fine-tuned on <paramref name="data"/> for <paramref name="epochs"/> epochs.
    /// </summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    /// <exception cref="NotSupportedException">The network is not an MLP or a CNN.</exception>
    public static (TrainedModel Model, StructuredPruningResult Result) PruneStructured(MLContext mlContext, TrainedModel model, double fraction, IDataView data, int epochs = 2)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        var (parts, index) = TorchPart(model, "pruned");
        var (torch, featured, fineTuning) = FineTuningInputs(mlContext, model, parts, index, data, epochs);
        var result = StructuredPruning.Prune(torch, fraction, featured, fineTuning);
        parts[index] = result.Model;
        return (With(model, parts), result);
    }

    /// <summary>The torch part, the rows as it reads them (the pipeline's earlier transforms applied, cached) and fine-tuning settings.</summary>
    private static (TorchPredictionTransformer Torch, IDataView Featured, FineTuningOptions Options) FineTuningInputs(
        MLContext mlContext, TrainedModel model, List<ITransformer> parts, int index, IDataView data, int epochs)
    {
        ArgumentNullException.ThrowIfNull(data);
        var torch = (TorchPredictionTransformer)parts[index];
        var featured = mlContext.Data.Cache(new TransformerChain<ITransformer>(parts.Take(index).ToArray()).Transform(model.LabelEncoder.Transform(data)));
        return (torch, featured, new FineTuningOptions { Epochs = epochs, FeatureColumnName = torch.FeatureColumnName });
    }

    private static TrainedModel With(TrainedModel model, List<ITransformer> parts) =>
        new(model.Description, model.InputSchema, model.LabelEncoder, new TransformerChain<ITransformer>(parts.ToArray()));

    private static (List<ITransformer> Parts, int Index) TorchPart(TrainedModel model, string what)
    {
        var parts = PipelineParts.Flatten(model.Scorer).ToList();
        var index = parts.FindIndex(p => p is TorchPredictionTransformer);
        return index >= 0 ? (parts, index)
            : throw new ArgumentException($"The model's predictor ({model.Description.Trainer}) is not a torch network; only torch networks are {what}.", nameof(model));
    }

    /// <summary>The model with its torch network's weights int8-quantized per channel (see <see cref="Int8Quantization"/>).</summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    public static TrainedModel QuantizeInt8(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (parts, index) = TorchPart(model, "quantized");
        parts[index] = Int8Quantization.Quantize((TorchPredictionTransformer)parts[index]);
        return With(model, parts);
    }
}
