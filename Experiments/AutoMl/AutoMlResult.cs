using MlToolkit.Data;
using MlToolkit.Experiments.Results;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Models.Evaluation;
using MlToolkit.Models;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>What an AutoML run found.</summary>
public sealed class AutoMlResult
{
    private readonly Func<TrialRecord, CancellationToken, TrainedModel> _refit;

    internal AutoMlResult(PredictionTask task, MetricDefinition metric, int folds, RunSummary summary, TrainedModel? bestModel, TimeSpan refitDuration,
        EvaluationReport? test, string storage, Func<TrialRecord, CancellationToken, TrainedModel> refit)
    {
        _refit = refit;
        Task = task;
        Metric = metric;
        Folds = folds;
        Summary = summary;
        BestModel = bestModel;
        RefitDuration = refitDuration;
        Test = test;
        Storage = storage;
    }

    /// <summary>The task.</summary>
    public PredictionTask Task { get; }

    /// <summary>The metric optimized.</summary>
    public MetricDefinition Metric { get; }

    /// <summary>Folds per trial (1 = holdout), in each repeat of the cross-validation.</summary>
    public int Folds { get; }

    /// <summary>Times the cross-validation was repeated on a new shuffle (1 with a holdout).</summary>
    public int Repeats { get; init; } = 1;

    /// <summary>Rows of the training data left out because their label is missing (<see cref="Data.Splits.LabelledRows"/>).</summary>
    public int RowsWithoutLabel { get; init; }

    /// <summary>How trials were evaluated, e.g. "5-fold cross-validation", "2×5-fold cross-validation" or "holdout".</summary>
    public string Evaluation => Folds > 1 ? $"{(Repeats > 1 ? $"{Repeats}×" : "")}{Folds}-fold cross-validation" : "holdout";

    /// <summary>Every trial, the best, why the run stopped and how long it took.</summary>
    public RunSummary Summary { get; }

    /// <summary>Every trial of the study (with a resumed history's).</summary>
    public IReadOnlyList<TrialRecord> Trials => Summary.Trials;

    /// <summary>The best complete trial, or null when none completed.</summary>
    public TrialRecord? BestTrial => Summary.Best;

    /// <summary>The best configuration refit on all training data; null when no trial completed or refit was off.</summary>
    public TrainedModel? BestModel { get; }

    /// <summary>Time the refit took.</summary>
    public TimeSpan RefitDuration { get; }

    /// <summary>Wall-clock time of the whole run (preparation, search and refit), what the training-time budget bounds.</summary>
    public TimeSpan TotalDuration { get; internal init; }

    /// <summary>Time spent reading the data, choosing the folds and building the candidates before the first trial could start.</summary>
    public TimeSpan PreparationDuration { get; internal init; }

    /// <summary>The ensemble saved as <see cref="BestModel"/>, or null when the best single trial's model is.</summary>
    public Ensembles.EnsembleSummary? Ensemble { get; internal init; }

    /// <summary>Why no ensemble was saved although ensembles were on (e.g. no blend beat the best single trial); null otherwise.</summary>
    public string? EnsembleSkipped { get; internal init; }

    /// <summary>
    /// The constant predictor the best trial was measured against out of fold, or null when the metric or the stored
    /// predictions do not allow it. When <see cref="BaselineSummary.Saved"/>, <see cref="BestModel"/> is that constant.
    /// </summary>
    public BaselineSummary? Baseline { get; internal init; }

    /// <summary>
    /// How the saved model's fit of <see cref="BestTrial"/> differs from that trial's configuration (e.g. "trees 36 → 100":
    /// see <see cref="Candidates.TrialCandidate.FinalFit"/>), or null when it does not (or the constant is saved).
    /// </summary>
    public string? FinalFitChange { get; internal init; }

    /// <summary>The refit model's metrics on the test data, when test data was given.</summary>
    public EvaluationReport? Test { get; }

    /// <summary>Where the trials are stored.</summary>
    public string Storage { get; }

    /// <summary>The ranked complete trials.</summary>
    public Leaderboard Leaderboard => new(Trials, Metric);

    /// <summary>
    /// Trains the configuration of a complete <paramref name="trial"/> on all training data, as the best one is: any
    /// trial's model on demand, or the best of a run that was cancelled before its refit.
    /// </summary>
    /// <exception cref="ArgumentException">The trial is not a complete trial of this run.</exception>
    public TrainedModel Refit(TrialRecord trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State != TrialState.Complete || !Trials.Any(t => t.Number == trial.Number))
            throw new ArgumentException($"Trial {trial.Number} is not a complete trial of this run ({trial.State}).", nameof(trial));
        return _refit(trial, cancellationToken);
    }
}
