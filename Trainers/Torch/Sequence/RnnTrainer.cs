using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Sequence;

/// <summary>
/// An LSTM or GRU trained with TorchSharp over token ids (from <c>TokenizeToIds</c>; 0 = padding, masked out of
/// pooling) or over numeric sequences (a T×F vector with <see cref="Options.FeaturesPerStep"/> set). Create it from a
/// task catalog: <c>mlContext.BinaryClassification.Trainers.Rnn()</c>.
/// </summary>
public sealed class RnnTrainer : TorchTrainerBase<RnnTrainer.Options>
{
    /// <summary>Creates the trainer for <paramref name="task"/>; the options are validated and copied.</summary>
    public RnnTrainer(PredictionTask task, Options options) : base(task, options)
    {
    }

    /// <summary>Recurrent settings on top of the shared torch trainer options. Defaults: a 1-layer bidirectional LSTM.</summary>
    public sealed class Options : TorchTrainerOptions
    {
        /// <summary>Creates the options with sequence-friendly defaults: 5 epochs, batch 32, Adam 2e-3, gradient clipping at 1.</summary>
        public Options()
        {
            Epochs = 5;
            LearningRate = 2e-3;
            GradientClipNorm = 1.0;
        }

        /// <summary>LSTM or GRU. Default LSTM.</summary>
        public RnnCell Cell { get; set; } = RnnCell.Lstm;

        /// <summary>Token embedding width (or numeric step projection width). Default 128.</summary>
        public int EmbeddingDim { get; set; } = 128;

        /// <summary>Hidden state width per direction. Default 128.</summary>
        public int HiddenSize { get; set; } = 128;

        /// <summary>Stacked layers. Default 1.</summary>
        public int Layers { get; set; } = 1;

        /// <summary>Read both ways. Default true.</summary>
        public bool Bidirectional { get; set; } = true;

        /// <summary>Dropout on embeddings, between layers and before the output. Default 0.3.</summary>
        public double Dropout { get; set; } = 0.3;

        /// <summary>Pooling of the states. Default <see cref="SequencePooling.Mean"/> over real tokens.</summary>
        public SequencePooling Pooling { get; set; } = SequencePooling.Mean;

        /// <summary>Token ids in use; null takes the highest id in the training data + 1. Default null.</summary>
        public int? VocabularySize { get; set; }

        /// <summary>Numeric sequences: floats per time step (the feature vector holds T×F values); null for token ids. Default null.</summary>
        public int? FeaturesPerStep { get; set; }

        /// <summary>Start the token embedding from this file (a saved TorchSharp <c>Embedding</c> of the same shape). Default null.</summary>
        public string? EmbeddingWeightsPath { get; set; }

        /// <inheritdoc/>
        public override void Validate()
        {
            base.Validate();
            ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingDim, 1, nameof(EmbeddingDim));
            ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
            ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1, nameof(Layers));
            InRange(Dropout, 0, 0.95, nameof(Dropout));
            if (VocabularySize is { } vocabulary)
                ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 2, nameof(VocabularySize));
            if (FeaturesPerStep is { } perStep)
                ArgumentOutOfRangeException.ThrowIfLessThan(perStep, 1, nameof(FeaturesPerStep));
            if (FeaturesPerStep is not null && EmbeddingWeightsPath is not null)
                throw new ArgumentException("EmbeddingWeightsPath needs token input; numeric sequences have no embedding.", nameof(EmbeddingWeightsPath));
        }
    }

    /// <inheritdoc/>
    protected override NetworkArchitecture CreateArchitecture(Options options, long[] inputShape, int outputSize, TrainingData data)
    {
        var vocabulary = options.FeaturesPerStep is null ? SequenceTrainerSupport.VocabularySize(options.VocabularySize, data) : 0;
        return new RnnArchitecture(options.Cell, vocabulary, options.EmbeddingDim, options.FeaturesPerStep, options.HiddenSize, options.Layers,
            options.Bidirectional, options.Dropout, options.Pooling);
    }

    /// <inheritdoc/>
    protected override void InitializeWeights(Options options, nn.Module<Tensor, Tensor> module)
    {
        base.InitializeWeights(options, module);
        SequenceTrainerSupport.LoadEmbedding(module, options.EmbeddingWeightsPath);
    }
}
