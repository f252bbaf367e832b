namespace MlToolkit.Trainers.Torch.Training;

/// <summary>One epoch of a training run.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss.</param>
/// <param name="ValidationLoss">Validation loss, when validating.</param>
/// <param name="ValidationAccuracy">Validation accuracy, for classification with validation.</param>
/// <param name="Seconds">Wall-clock time of the epoch.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy, double Seconds);

/// <summary>How a torch training run went: every epoch, which one's weights were kept, and why it stopped.</summary>
/// <param name="Epochs">Per-epoch figures, in order.</param>
/// <param name="BestEpoch">The epoch whose weights the model holds.</param>
/// <param name="StoppedEarly">True when early stopping ended training before the last epoch.</param>
/// <param name="TrainRows">Rows trained on per epoch.</param>
/// <param name="SkippedRows">Rows skipped per epoch for a missing label.</param>
public sealed record TrainingSummary(IReadOnlyList<EpochRecord> Epochs, int BestEpoch, bool StoppedEarly, long TrainRows, long SkippedRows);
