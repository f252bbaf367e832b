using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Trainers.Torch.Mlp;

/// <summary>
/// A multilayer perceptron trained with TorchSharp, for multiclass, binary classification or regression over a
/// numeric feature vector. Create it from a task catalog: <c>mlContext.MulticlassClassification.Trainers.Mlp()</c>.
/// </summary>
public sealed class MlpTrainer : TorchTrainerBase<MlpTrainer.Options>
{
    /// <summary>Creates the trainer for <paramref name="task"/>; the options are validated and copied.</summary>
    public MlpTrainer(PredictionTask task, Options options) : base(task, options)
    {
    }

    /// <summary>MLP settings on top of the shared torch trainer options.</summary>
    public sealed class Options : TorchTrainerOptions
    {
        /// <summary>Hidden layer widths, input side first. Default [128, 64].</summary>
        public int[] HiddenLayers { get; set; } = { 128, 64 };

        /// <summary>The non-linearity. Default <see cref="Activation.Relu"/>.</summary>
        public Activation Activation { get; set; } = Activation.Relu;

        /// <summary>Batch normalization after each hidden layer. Default false.</summary>
        public bool BatchNorm { get; set; }

        /// <summary>Dropout after each hidden layer. Default 0.</summary>
        public double Dropout { get; set; }

        /// <inheritdoc/>
        public override void Validate()
        {
            base.Validate();
            ArgumentNullException.ThrowIfNull(HiddenLayers, nameof(HiddenLayers));
            foreach (var width in HiddenLayers)
                ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(HiddenLayers));
            InRange(Dropout, 0, 0.95, nameof(Dropout));
        }
    }

    /// <inheritdoc/>
    protected override NetworkArchitecture CreateArchitecture(Options options, long[] inputShape, int outputSize, TrainingData data) =>
        new MlpArchitecture(options.HiddenLayers.ToArray(), options.Activation, options.BatchNorm, options.Dropout);
}
