using Microsoft.ML;
using MlToolkit.Data;

using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Trainers;

/// <summary>A trainer the CLI and the training workflow can pick by name, made for the task at hand on the <c>Label</c> and <c>Features</c> columns.</summary>
public sealed class NamedTrainer
{
    private readonly Func<MLContext, PredictionTask, TrainerSettings, IEstimator<ITransformer>?> _create;

    internal NamedTrainer(string name, string description, bool needsNormalizedFeatures,
        Func<MLContext, PredictionTask, TrainerSettings, IEstimator<ITransformer>?> create, bool readsTokenSequences = false)
    {
        Name = name;
        Description = description;
        NeedsNormalizedFeatures = needsNormalizedFeatures;
        ReadsTokenSequences = readsTokenSequences;
        _create = create;
    }

    /// <summary>True for sequence models, whose <c>Features</c> are token ids of a text column rather than a feature vector.</summary>
    public bool ReadsTokenSequences { get; }

    /// <summary>Name as the CLI accepts it (e.g. <c>lightgbm</c>).</summary>
    public string Name { get; }

    /// <summary>What it is, for help texts.</summary>
    public string Description { get; }

    /// <summary>True for linear and neural trainers, which converge much better on min-max normalized features.</summary>
    public bool NeedsNormalizedFeatures { get; }

    /// <summary>Whether the trainer handles <paramref name="task"/>.</summary>
    public bool Supports(PredictionTask task) => _create(new MLContext(0), task, new TrainerSettings()) is not null;

    /// <summary>The estimator for <paramref name="task"/>.</summary>
    /// <exception cref="ArgumentException">The trainer does not handle the task.</exception>
    public IEstimator<ITransformer> Create(MLContext mlContext, PredictionTask task, TrainerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return _create(mlContext, task, settings ?? new TrainerSettings())
            ?? throw new ArgumentException($"Trainer '{Name}' does not support {task}.", nameof(task));
    }
}

/// <summary>Settings every named trainer takes.</summary>
public sealed record TrainerSettings
{
    /// <summary>Threads a trainer may use; null lets it decide.</summary>
    public int? Threads { get; init; }

    /// <summary>Seed of the torch trainers (classic ones take theirs from the MLContext). Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Epochs for the torch trainers; null keeps each trainer's default.</summary>
    public int? Epochs { get; init; }

    /// <summary>Progress of the torch trainers.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Cancels the torch trainers within one step.</summary>
    public CancellationToken CancellationToken { get; init; }
}
