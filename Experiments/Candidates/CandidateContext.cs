using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Experiments.Candidates;

/// <summary>What a training run gives the trainer it builds.</summary>
/// <param name="Threads">Threads it may use; null lets it decide.</param>
/// <param name="Seed">Seed for its randomness.</param>
/// <param name="CancellationToken">Stops training (torch trainers within a step).</param>
/// <param name="EpochLoss">Receives (epoch, loss) after each epoch of an iterative trainer, for pruning; null when not wanted.</param>
public sealed record CandidateContext(int? Threads, int Seed, CancellationToken CancellationToken, Action<int, double>? EpochLoss = null)
{
    /// <summary>Per-step and per-epoch progress of torch trainers.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Share of the training rows an iterative trainer holds out to report a validation loss per epoch. Default 0.</summary>
    public double ValidationFraction { get; init; }

    /// <summary>Training time an iterative trainer may spend before it stops starting epochs (null: no limit). AutoML sets it per fold from its budget.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// The data the trainer will fit on (rows, classes, modality) when the caller knows it: AutoML sets it for every
    /// fold and refit, <c>train</c> for its training split; null when unknown.
    /// </summary>
    public DataShape? Data { get; init; }

    /// <summary>
    /// <see cref="Threads"/>, except one thread on a table (<see cref="Data"/> known and tabular) of fewer than
    /// <paramref name="singleThreadBelowRows"/> rows: for a trainer whose threads wait on each other there more than
    /// they work. Images and text keep <see cref="Threads"/>: their rows are wide (the MLP on the IMDB sample's 20,000
    /// TF-IDF features trained 1.3× faster on two threads than on one).
    /// </summary>
    public int? ThreadsOnTablesWithOneBelow(long singleThreadBelowRows) =>
        Data is { Modality: DataModality.Tabular } data && data.Rows < singleThreadBelowRows ? 1 : Threads;
}
