using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>Optimizer settings for fine-tuning a compressed network: the shared torch options, 2 epochs of Adam at 5e-4 by default.</summary>
public sealed class FineTuningOptions : TorchTrainerOptions
{
    /// <summary>Creates the options: 2 epochs, learning rate 5e-4 (a tenth of a usual start: the network is already trained).</summary>
    public FineTuningOptions()
    {
        Epochs = 2;
        LearningRate = 5e-4;
    }
}
