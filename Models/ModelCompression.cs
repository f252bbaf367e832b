using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Persistence;
using MlToolkit.Trainers.Torch.Compression;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Models;

/// <summary>Smaller models: the torch network of a model, compressed, in an otherwise unchanged model.</summary>
public static class ModelCompression
{
    /// <summary>The model with its torch network's weights int8-quantized per channel (see <see cref="Int8Quantization"/>).</summary>
    /// <exception cref="ArgumentException">The model's predictor is not a torch network.</exception>
    public static TrainedModel QuantizeInt8(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parts = PipelineParts.Flatten(model.Scorer).ToList();
        var index = parts.FindIndex(p => p is TorchPredictionTransformer);
        if (index < 0)
            throw new ArgumentException($"The model's predictor ({model.Description.Trainer}) is not a torch network; only torch networks are quantized.", nameof(model));
        parts[index] = Int8Quantization.Quantize((TorchPredictionTransformer)parts[index]);
        return new TrainedModel(model.Description, model.InputSchema, model.LabelEncoder, new TransformerChain<ITransformer>(parts.ToArray()));
    }
}
