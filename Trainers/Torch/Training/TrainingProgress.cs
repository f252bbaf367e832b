namespace MlToolkit.Trainers.Torch.Training;

/// <summary>What a progress report marks.</summary>
public enum ProgressKind
{
    /// <summary>After a gradient step.</summary>
    Step,

    /// <summary>After an epoch (and its validation).</summary>
    Epoch,
}

/// <summary>A progress report from a torch trainer.</summary>
/// <param name="Kind">Step or epoch end.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">1-based global step.</param>
/// <param name="Loss">Mean training loss: of the step, or of the epoch.</param>
/// <param name="LearningRate">The learning rate used by the step.</param>
/// <param name="SamplesPerSecond">Training throughput of the epoch so far.</param>
/// <param name="ValidationLoss">Validation loss (epoch reports with validation only).</param>
/// <param name="ValidationAccuracy">Validation accuracy (classification epoch reports with validation only).</param>
public sealed record TrainingProgress(
    ProgressKind Kind,
    int Epoch,
    long Step,
    double Loss,
    double LearningRate,
    double SamplesPerSecond,
    double? ValidationLoss = null,
    double? ValidationAccuracy = null);
