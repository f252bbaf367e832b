using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Sequence;

/// <summary>What the sequence trainers share: vocabulary sizing and loading pre-trained embeddings.</summary>
internal static class SequenceTrainerSupport
{
    /// <summary>The vocabulary size: the option when given (checked against the data), else the highest id seen + 1.</summary>
    public static int VocabularySize(int? configured, TrainingData data)
    {
        var highest = data.MaxFeatureValue();
        if (highest < 0 || highest != MathF.Floor(highest))
            throw new SchemaException($"Feature column '{data.Features.Name}' should hold token ids (whole numbers ≥ 0, 0 = padding), but holds {highest}. Tokenize text with mlContext.Transforms.Text.TokenizeToIds, or set FeaturesPerStep for numeric sequences.");
        var needed = (int)highest + 1;
        if (configured is { } size && size < needed)
            throw new SchemaException($"VocabularySize {size} is too small: the data holds token id {highest}.");
        return configured ?? needed;
    }

    public static void LoadEmbedding(nn.Module<Tensor, Tensor> module, string? path)
    {
        if (path is null)
            return;
        var embedding = module switch
        {
            RnnNetwork rnn => rnn.Embedding,
            TransformerNetwork transformer => transformer.Embedding,
            _ => null,
        } ?? throw new ArgumentException("EmbeddingWeightsPath needs token input (an embedding); numeric sequences have none.");
        WeightFiles.LoadInto(embedding, path, "the token embedding");
    }
}
