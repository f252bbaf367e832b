using Microsoft.ML;
using MlToolkit.Data;

namespace MlToolkit.Trainers.Classic;

/// <summary>One of ML.NET's own trainers, made for the task at hand on the <c>Label</c> and <c>Features</c> columns.</summary>
public sealed class ClassicTrainer
{
    private readonly Func<MLContext, PredictionTask, ClassicTrainerSettings, IEstimator<ITransformer>?> _create;

    internal ClassicTrainer(string name, string description, bool needsNormalizedFeatures,
        Func<MLContext, PredictionTask, ClassicTrainerSettings, IEstimator<ITransformer>?> create)
    {
        Name = name;
        Description = description;
        NeedsNormalizedFeatures = needsNormalizedFeatures;
        _create = create;
    }

    /// <summary>Name as the CLI accepts it (e.g. <c>lightgbm</c>).</summary>
    public string Name { get; }

    /// <summary>What it is, for help texts.</summary>
    public string Description { get; }

    /// <summary>True for linear trainers, which converge much better on min-max normalized features.</summary>
    public bool NeedsNormalizedFeatures { get; }

    /// <summary>Whether the trainer handles <paramref name="task"/>.</summary>
    public bool Supports(PredictionTask task) => _create(new MLContext(0), task, new ClassicTrainerSettings()) is not null;

    /// <summary>The estimator for <paramref name="task"/>.</summary>
    /// <exception cref="ArgumentException">The trainer does not handle the task.</exception>
    public IEstimator<ITransformer> Create(MLContext mlContext, PredictionTask task, ClassicTrainerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return _create(mlContext, task, settings ?? new ClassicTrainerSettings())
            ?? throw new ArgumentException($"Trainer '{Name}' does not support {task}.", nameof(task));
    }
}

/// <summary>Settings shared by the classic trainers.</summary>
public sealed record ClassicTrainerSettings
{
    /// <summary>Threads a trainer may use; null lets it decide. LightGbm and SDCA honour it.</summary>
    public int? Threads { get; init; }
}
