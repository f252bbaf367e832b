using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Running;

/// <summary>Why a run stopped.</summary>
public enum StopReason
{
    /// <summary>The time budget ran out.</summary>
    TimeBudget,

    /// <summary>The trial budget was reached.</summary>
    MaxTrials,

    /// <summary>The tuner had nothing left to propose (a finished grid).</summary>
    SpaceExhausted,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}

/// <summary>The trials of a run (with those of the history it resumed) and the best one.</summary>
/// <param name="Trials">Every trial of the study, by number.</param>
/// <param name="Best">The best complete trial, if any.</param>
/// <param name="Reason">Why the run stopped.</param>
/// <param name="Elapsed">Wall-clock time of this run.</param>
/// <param name="ResumedTrials">Trials that came from the stored history.</param>
public sealed record RunSummary(IReadOnlyList<TrialRecord> Trials, TrialRecord? Best, StopReason Reason, TimeSpan Elapsed, int ResumedTrials);
