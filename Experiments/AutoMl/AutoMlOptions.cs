using MlToolkit.Data;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.Tuners;
using MlToolkit.Pipelines.Featurization;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>Everything an AutoML experiment can be told; every property has a documented default.</summary>
public sealed class AutoMlOptions
{
    /// <summary>The task; null infers it from the label. Default null.</summary>
    public PredictionTask? Task { get; set; }

    /// <summary>For binary classification, the class scored as true; null picks the one that sorts last. Default null.</summary>
    public string? PositiveClass { get; set; }

    /// <summary>Trainers to sweep by name; empty takes <c>CandidateCatalog.Defaults</c> (classic trainers and the MLP). Default empty.</summary>
    public IReadOnlyList<string> Trainers { get; set; } = Array.Empty<string>();

    /// <summary>Trainers swept besides <see cref="Trainers"/> (or besides the task's defaults when that is empty). Default empty.</summary>
    public IReadOnlyList<string> AddedTrainers { get; set; } = Array.Empty<string>();

    /// <summary>Metric to optimize; null takes the task's default (accuracy, or R² for regression). Default null.</summary>
    public string? Metric { get; set; }

    /// <summary>The tuner. Default <see cref="TunerKind.Cfo"/>, which starts from cheap configurations.</summary>
    public TunerKind Tuner { get; set; } = TunerKind.Cfo;

    /// <summary>Builds the tuner from the search space and the seed; overrides <see cref="Tuner"/> when set (a user's own <see cref="Tuning.Tuners.ITuner"/>).</summary>
    public Func<Tuning.SearchSpaces.SearchSpace, int, Tuning.Tuners.ITuner>? TunerFactory { get; set; }

    /// <summary>Where trials are stored; overrides <see cref="StoragePath"/> when set. The caller owns (and disposes) it.</summary>
    public Storage.IExperimentStore? Store { get; set; }

    /// <summary>What the user says about columns (categorical, text, numeric, image path, ignored), overriding inference.</summary>
    public Pipelines.Featurization.ColumnInformation? ColumnInformation { get; set; }

    /// <summary>
    /// Folds for cross-validation (stratified for classification); 1 uses a holdout of <see cref="HoldoutFraction"/>.
    /// Default null: 10 folds on tables of 100–199 rows and on multiclass tables of up to 999 rows whose classes average
    /// under 50 rows, 5 on other small tables, a holdout on large or wide data and on text or images (see
    /// <see cref="AutoMlExperiment.AutomaticFolds"/>), so that a short budget still completes trials.
    /// </summary>
    public int? Folds { get; set; }

    /// <summary>
    /// Times cross-validation is repeated, each time on a new shuffle of the rows (ignored with a holdout): a trial's
    /// score is the mean over every repeat's folds and its out-of-fold predictions cover each row once per repeat.
    /// Default null: twice on tables of 100–999 rows (with fewer than 5,000 rows × classes) when <see cref="Folds"/> is
    /// not set either, else once (see
    /// <see cref="AutoMlExperiment.AutomaticRepeats"/>).
    /// </summary>
    public int? Repeats { get; set; }

    /// <summary>Share held out for validation when <see cref="Folds"/> is 1. Default 0.2.</summary>
    public double HoldoutFraction { get; set; } = 0.2;

    /// <summary>Wall-clock budget of the search, refit of the best model included. Default 60 s.</summary>
    public TimeSpan? TrainingTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Trials to finish, counting a resumed history's. Default null (no limit).</summary>
    public int? MaxTrials { get; set; }

    /// <summary>Longest one trial may run. Default null (no limit).</summary>
    public TimeSpan? TrialTimeout { get; set; }

    /// <summary>Memory cap of a trial in MiB: its worker process's with <see cref="WorkerProcess"/>, else this process's working set. Default null (no cap).</summary>
    public double? MemoryLimitMb { get; set; }

    /// <summary>Trials run at once. Default 1. With a trial budget and no time budget the history is reproducible at any parallelism when trials run in worker processes.</summary>
    public int ParallelTrials { get; set; } = 1;

    /// <summary>
    /// Threads split between parallel trials, each trial's share a cap: LightGBM below
    /// <see cref="Candidates.LightGbmCandidate.SingleThreadBelowRows"/> training rows and the MLP below
    /// <see cref="Candidates.MlpCandidate.SingleThreadBelowRows"/> use one. Default: the processor count.
    /// </summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Stops torch trials early from their per-epoch validation loss. Default null (no pruning).</summary>
    public IPruner? Pruner { get; set; }

    /// <summary>
    /// Where trials persist (and resume from): an SQLite file path, or a PostgreSQL connection string
    /// (<c>postgresql://user@host/db</c>) for a study shared by several machines; null keeps them in memory. Default null.
    /// </summary>
    public string? StoragePath { get; set; }

    /// <summary>Study name within the storage file. Default "default".</summary>
    public string StudyName { get; set; } = "default";

    /// <summary>
    /// Seed of the tuner, the folds and the trainers. An experiment created with <c>mlContext.AutoMl()</c> draws it
    /// from the context, as ML.NET's components do: the same <c>new MLContext(seed)</c> gives the same experiment.
    /// </summary>
    public int Seed { get; set; } = 1;

    /// <summary>Columns not to use as features. Default none.</summary>
    public IReadOnlyList<string> IgnoreColumns { get; set; } = Array.Empty<string>();

    /// <summary>How data that is not a delimited file becomes features. Default null (delimited files are featurized by their layout).</summary>
    public IFeaturePlan? Features { get; set; }

    /// <summary>
    /// Evaluate each trainer's strong starts (<see cref="Candidates.TrialCandidate.StrongStarts"/>, known-good
    /// configurations, cheapest first) before the tuner proposes anything. Default true.
    /// </summary>
    public bool StrongStarts { get; set; } = true;

    /// <summary>
    /// After the search, select an ensemble of the best trials from their out-of-fold predictions (Caruana's bagged greedy
    /// selection) and, when it beats the best single trial there, refit its members and save it as the model. Default true.
    /// </summary>
    public bool Ensemble { get; set; } = true;

    /// <summary>Refit the best configuration on all training data at the end. Default true.</summary>
    public bool RefitBest { get; set; } = true;

    /// <summary>
    /// Runs each trial in a worker process started by this command, which must serve the same experiment (same data and
    /// settings) with <see cref="AutoMlExperiment.ServeWorker"/>, e.g. the <c>mltoolkit</c> CLI. Null runs trials on threads
    /// of this process. Default null.
    /// </summary>
    public Func<System.Diagnostics.ProcessStartInfo>? WorkerProcess { get; set; }

    /// <summary>Progress events (trial started/finished/pruned/failed, epochs, new best). Default null.</summary>
    public IProgress<ExperimentEvent>? Progress { get; set; }

    internal void Validate()
    {
        if (Folds is { } folds)
            ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1, nameof(Folds));
        if (Repeats is { } repeats)
            ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1, nameof(Repeats));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HoldoutFraction, 0.0, nameof(HoldoutFraction));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(HoldoutFraction, 1.0, nameof(HoldoutFraction));
        ArgumentException.ThrowIfNullOrWhiteSpace(StudyName, nameof(StudyName));
        if (TrainingTime is null && MaxTrials is null && Tuner != TunerKind.Grid)
            throw new ArgumentException("Give a training time, a trial count, or both: otherwise the search never ends.", nameof(TrainingTime));
    }
}
