using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Sequence;

/// <summary>
/// A transformer-encoder text model trained with TorchSharp over token ids (from <c>TokenizeToIds</c>; 0 = padding,
/// masked in attention and pooling). Defaults follow common practice for training from scratch: AdamW, a linear
/// warm-up over the first epoch then cosine decay, gradient clipping at 1, pre-norm blocks. Create it from a task
/// catalog: <c>mlContext.BinaryClassification.Trainers.TransformerEncoder()</c>.
/// </summary>
public sealed class TransformerTrainer : TorchTrainerBase<TransformerTrainer.Options>
{
    /// <summary>Creates the trainer for <paramref name="task"/>; the options are validated and copied.</summary>
    public TransformerTrainer(PredictionTask task, Options options) : base(task, options)
    {
    }

    /// <summary>Transformer settings on top of the shared torch trainer options.</summary>
    public sealed class Options : TorchTrainerOptions
    {
        /// <summary>
        /// Creates the options with transformer defaults: 5 epochs, AdamW 2e-3 with weight decay 0.01, 1 warm-up epoch,
        /// cosine decay, clipping at 1. The default shape (64 wide, 2 heads, 1 block) is sized for CPUs: on full IMDB it
        /// reaches 0.866 in 4 epochs, 4 minutes on 2 cores, where a 128-wide 2-block encoder needed 18 minutes for 0.842.
        /// </summary>
        public Options()
        {
            Epochs = 5;
            Optimizer = OptimizerKind.AdamW;
            LearningRate = 2e-3;
            WeightDecay = 0.01;
            WarmupEpochs = 1;
            LearningRateSchedule = LearningRateScheduleKind.Cosine;
            GradientClipNorm = 1.0;
        }

        /// <summary>Embedding and attention width. Default 64.</summary>
        public int ModelDim { get; set; } = 64;

        /// <summary>Attention heads; must divide <see cref="ModelDim"/>. Default 2.</summary>
        public int Heads { get; set; } = 2;

        /// <summary>Encoder blocks. Default 1.</summary>
        public int Layers { get; set; } = 1;

        /// <summary>Feed-forward width in each block. Default 128.</summary>
        public int FeedForwardDim { get; set; } = 128;

        /// <summary>Dropout. Default 0.1.</summary>
        public double Dropout { get; set; } = 0.1;

        /// <summary>Position encoding. Default sinusoidal.</summary>
        public PositionalEncoding Positional { get; set; } = PositionalEncoding.Sinusoidal;

        /// <summary>Layer norm before each sub-layer (true) or after (false, the original design). Default true.</summary>
        public bool PreNorm { get; set; } = true;

        /// <summary>Mean over real tokens, or <see cref="SequencePooling.First"/> for a class token (tokenize with PrependClassToken). Default mean.</summary>
        public SequencePooling Pooling { get; set; } = SequencePooling.Mean;

        /// <summary>Token ids in use; null takes the highest id in the training data + 1. Default null.</summary>
        public int? VocabularySize { get; set; }

        /// <summary>Start the token embedding from this file (a saved TorchSharp <c>Embedding</c> of the same shape). Default null.</summary>
        public string? EmbeddingWeightsPath { get; set; }

        /// <inheritdoc/>
        public override void Validate()
        {
            base.Validate();
            ArgumentOutOfRangeException.ThrowIfLessThan(ModelDim, 2, nameof(ModelDim));
            ArgumentOutOfRangeException.ThrowIfLessThan(Heads, 1, nameof(Heads));
            if (ModelDim % Heads != 0)
                throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"Heads must divide ModelDim ({ModelDim}).");
            ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1, nameof(Layers));
            ArgumentOutOfRangeException.ThrowIfLessThan(FeedForwardDim, 1, nameof(FeedForwardDim));
            InRange(Dropout, 0, 0.95, nameof(Dropout));
            if (Pooling == SequencePooling.Last)
                throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, "A transformer pools by mean or by its first (class) token.");
            if (VocabularySize is { } vocabulary)
                ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 2, nameof(VocabularySize));
        }
    }

    /// <inheritdoc/>
    protected override NetworkArchitecture CreateArchitecture(Options options, long[] inputShape, int outputSize, TrainingData data) =>
        new TransformerArchitecture(SequenceTrainerSupport.VocabularySize(options.VocabularySize, data), options.ModelDim, options.Heads, options.Layers,
            options.FeedForwardDim, options.Dropout, options.Positional, options.PreNorm, options.Pooling);

    /// <inheritdoc/>
    protected override void InitializeWeights(Options options, nn.Module<Tensor, Tensor> module)
    {
        base.InitializeWeights(options, module);
        SequenceTrainerSupport.LoadEmbedding(module, options.EmbeddingWeightsPath);
    }
}
