using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Normalization;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// A trainer, declared in one place: its name, what it is, the tasks and input it takes, its search space, the
/// configuration <c>mltoolkit train</c> fits (<see cref="Defaults"/>) and how to build its estimator from any
/// configuration. <see cref="CandidateCatalog"/> lists them for <c>train</c>, AutoML, the CLI help and the docs; the
/// tuning core never sees these types.
/// </summary>
public abstract class TrialCandidate
{
    private static readonly PredictionTask[] AllTasks =
        { PredictionTask.BinaryClassification, PredictionTask.MulticlassClassification, PredictionTask.Regression };

    /// <summary>Name as the CLI and the search space's trainer choice know it (e.g. <c>lightgbm</c>).</summary>
    public abstract string Name { get; }

    /// <summary>What it is, for help texts and the docs' list. Default: the name.</summary>
    public virtual string Description => Name;

    /// <summary>What its <c>Features</c> column holds. Default <see cref="TrainerInput.NumericVector"/>.</summary>
    public virtual TrainerInput Input => TrainerInput.NumericVector;

    /// <summary>The tasks it handles. Default: all three.</summary>
    public virtual IReadOnlyList<PredictionTask> Tasks => AllTasks;

    /// <summary>True for linear and neural trainers, which need normalized features.</summary>
    public virtual bool NeedsNormalizedFeatures => false;

    /// <summary>
    /// How numeric features are scaled when <see cref="NeedsNormalizedFeatures"/>. Default min-max, which keeps them
    /// in [0, 1] like the one-hot and pixel features beside them.
    /// </summary>
    public virtual NormalizerKind Normalizer => NormalizerKind.MinMax;

    /// <summary>True for sequence models, which read the token ids of one text column.</summary>
    public bool ReadsTokenSequences => Input == TrainerInput.TokenIds;

    /// <summary>True for convolutional models, which read images (<see cref="Pipelines.Featurization.IFeaturePlan.IsImage"/>).</summary>
    public bool ReadsImages => Input == TrainerInput.ImageTensor;

    /// <summary>
    /// True when the trainer trains and scores with TorchSharp. When trials run in worker processes, AutoML then loads
    /// libtorch in its own process while they run, so that the refit after the search does not pay for it (0.3–0.4 s).
    /// </summary>
    public virtual bool TrainsWithTorch => false;

    /// <summary>Whether the candidate handles <paramref name="task"/>.</summary>
    public bool Supports(PredictionTask task) => Tasks.Contains(task);

    /// <summary>The hyperparameters to tune for <paramref name="task"/>; their defaults are where AutoML starts (cheap to train).</summary>
    public abstract SearchSpace SearchSpace(PredictionTask task);

    /// <summary>The configuration a single training run fits: a good model on its own. Default: the search space's defaults.</summary>
    public virtual ParameterSet Defaults(PredictionTask task) => SearchSpace(task).Defaults();

    /// <summary>
    /// Known-good configurations AutoML evaluates first on data of <paramref name="data"/>'s shape (see
    /// <see cref="StrongStart"/>). Default: none, and the tuner starts from the search space's defaults.
    /// </summary>
    public virtual IReadOnlyList<StrongStart> StrongStarts(PredictionTask task, DataShape data) => Array.Empty<StrongStart>();

    /// <summary>
    /// How the saved model fits a trial's <paramref name="parameters"/> on all rows after the search. Default: unchanged.
    /// A trainer with a hyperparameter that trades only time for variance, never bias, may raise it here: the search
    /// tunes it as a cost (cheap trials first), and its ranking of many noisy trials favours high-variance settings,
    /// whose luck does not carry over to a refit on other rows (a forest's trees, <see cref="ForestCandidate"/>).
    /// </summary>
    public virtual FinalFit FinalFit(ParameterSet parameters) => Candidates.FinalFit.Unchanged(parameters);

    /// <summary>The estimator (reading <c>Label</c> and <c>Features</c>) for one configuration of <see cref="SearchSpace"/>.</summary>
    /// <exception cref="ArgumentException">The candidate does not handle <paramref name="task"/>.</exception>
    public abstract IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context);

    /// <summary>The featurization <paramref name="features"/> plans (normalized when this trainer needs it) followed by this trainer.</summary>
    public IEstimator<ITransformer> CreatePipeline(MLContext mlContext, PredictionTask task, IFeaturePlan features, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(features);
        return features.Build(mlContext, NeedsNormalizedFeatures ? Normalizer : null).Append(CreateTrainer(mlContext, task, parameters, context));
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;

    /// <summary>Checks the arguments every <see cref="CreateTrainer"/> receives, and that the task is handled.</summary>
    /// <exception cref="ArgumentException">The candidate does not handle <paramref name="task"/>.</exception>
    protected void CheckCreate(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        if (!Supports(task))
            throw new ArgumentException($"Trainer '{Name}' does not support {task}; it handles {string.Join(", ", Tasks)}.", nameof(task));
    }
}
