using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Running;

/// <summary>What happened.</summary>
public enum ExperimentEventKind
{
    /// <summary>A trial started.</summary>
    TrialStarted,

    /// <summary>A running trial reported an intermediate value (e.g. an epoch ended).</summary>
    TrialProgress,

    /// <summary>A trial completed.</summary>
    TrialCompleted,

    /// <summary>A trial was pruned.</summary>
    TrialPruned,

    /// <summary>A trial failed.</summary>
    TrialFailed,

    /// <summary>A trial was cancelled (deadline or caller).</summary>
    TrialCancelled,

    /// <summary>A completed trial is the new best.</summary>
    NewBest,
}

/// <summary>A progress event for UIs and logs.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Trial">The trial it concerns.</param>
/// <param name="Best">The best trial so far, if any.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Budget">The run's time budget, if any.</param>
/// <param name="Step">For <see cref="ExperimentEventKind.TrialProgress"/>, the step reported.</param>
public sealed record ExperimentEvent(ExperimentEventKind Kind, TrialRecord Trial, TrialRecord? Best, TimeSpan Elapsed, TimeSpan? Budget, int? Step = null);
