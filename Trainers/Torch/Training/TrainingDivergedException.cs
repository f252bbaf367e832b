namespace MlToolkit.Trainers.Torch.Training;

/// <summary>The training loss became NaN or infinite. The message names the epoch, step and learning rate.</summary>
public sealed class TrainingDivergedException : MlToolkitException
{
    /// <summary>Creates the exception for a non-finite loss.</summary>
    public TrainingDivergedException(int epoch, long step, double learningRate, double loss)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Training diverged: the loss became {loss} at epoch {epoch}, step {step}, learning rate {learningRate:G4}. Lower the learning rate, enable gradient clipping or normalize the features."))
    {
        Epoch = epoch;
        Step = step;
        LearningRate = learningRate;
    }

    /// <summary>1-based epoch of the failing step.</summary>
    public int Epoch { get; }

    /// <summary>1-based global step that produced the non-finite loss.</summary>
    public long Step { get; }

    /// <summary>The learning rate of that step.</summary>
    public double LearningRate { get; }
}
