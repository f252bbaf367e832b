using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// A trainer AutoML can sweep: it declares its own search space per task, with defaults that are its cheap starting
/// point, and builds its estimator from one configuration of that space. The tuning core never sees these types.
/// </summary>
public abstract class TrialCandidate
{
    /// <summary>Name as the CLI and the search space's trainer choice know it (e.g. <c>lightgbm</c>).</summary>
    public abstract string Name { get; }

    /// <summary>True for linear and neural trainers, which need normalized features.</summary>
    public virtual bool NeedsNormalizedFeatures => false;

    /// <summary>True for sequence models, which read the token ids of one text column.</summary>
    public virtual bool ReadsTokenSequences => false;

    /// <summary>True for convolutional models, which read images (<see cref="Pipelines.Featurization.IFeaturePlan.IsImage"/>).</summary>
    public virtual bool ReadsImages => false;

    /// <summary>Whether the candidate handles <paramref name="task"/>.</summary>
    public abstract bool Supports(PredictionTask task);

    /// <summary>The hyperparameters to tune for <paramref name="task"/>; their defaults are cheap to train.</summary>
    public abstract SearchSpace SearchSpace(PredictionTask task);

    /// <summary>The estimator (reading <c>Label</c> and <c>Features</c>) for one configuration of <see cref="SearchSpace"/>.</summary>
    public abstract IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context);

    /// <summary>The configuration as the trainer's own settings, for leaderboards.</summary>
    public override string ToString() => Name;

    private protected ArgumentException Unsupported(PredictionTask task) => new($"Trainer '{Name}' does not support {task}.", nameof(task));
}

/// <summary>What a trial gives the trainer it builds.</summary>
/// <param name="Threads">Threads it may use.</param>
/// <param name="Seed">Seed for its randomness.</param>
/// <param name="CancellationToken">Stops training (torch trainers within a step).</param>
/// <param name="EpochLoss">Receives (epoch, loss) after each epoch of an iterative trainer, for pruning; null when not wanted.</param>
public sealed record CandidateContext(int Threads, int Seed, CancellationToken CancellationToken, Action<int, double>? EpochLoss);
