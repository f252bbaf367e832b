using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Running;

/// <summary>Evaluates one configuration: trains, validates and returns the metric. Must honour <see cref="TrialContext.CancellationToken"/>.</summary>
public delegate TrialOutcome TrialObjective(ParameterSet configuration, TrialContext context);

/// <summary>The result of a trial's evaluation.</summary>
/// <param name="Value">The metric (mean over folds).</param>
/// <param name="FoldValues">The metric per fold (one value for a holdout).</param>
/// <param name="Metrics">Other metrics, mean over folds, by name.</param>
/// <param name="Diagnostics">Free-form JSON kept with the trial for reports (e.g. an out-of-fold confusion matrix); null if none.</param>
public sealed record TrialOutcome(double Value, IReadOnlyList<double> FoldValues, IReadOnlyDictionary<string, double> Metrics, string? Diagnostics = null)
{
    /// <summary>Standard deviation over folds; null with fewer than two folds.</summary>
    public double? Std => FoldValues.Count < 2 ? null : Math.Sqrt(FoldValues.Sum(v => (v - Value) * (v - Value)) / (FoldValues.Count - 1));
}

/// <summary>What a running trial gets from the runner: its number, its share of threads, cancellation and a way to report progress.</summary>
public sealed class TrialContext
{
    private readonly Action<int, double> _report;

    internal TrialContext(int number, int threads, CancellationToken cancellationToken, Action<int, double> report)
    {
        Number = number;
        Threads = threads;
        CancellationToken = cancellationToken;
        _report = report;
    }

    /// <summary>The trial's number.</summary>
    public int Number { get; }

    /// <summary>Threads this trial may use (the experiment's threads split between parallel trials).</summary>
    public int Threads { get; }

    /// <summary>Cancelled at the deadline, at the trial timeout or memory cap, by the caller, or when the trial is pruned.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// The experiment's time left when the trial started (its budget minus what is kept for the refit); null without a
    /// time budget. Iterative trainers size their epochs to it, so that a trial ends with a model instead of being cancelled.
    /// </summary>
    public TimeSpan? TimeLeft { get; internal init; }

    /// <summary>True once a pruner has stopped this trial.</summary>
    public bool IsPruned { get; internal set; }

    /// <summary>Reports an intermediate loss (lower is better) at a 1-based step, e.g. validation loss after each epoch; may prune the trial.</summary>
    public void ReportIntermediate(int step, double loss)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1, nameof(step));
        _report(step, loss);
    }
}
