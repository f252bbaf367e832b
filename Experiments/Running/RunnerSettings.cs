namespace MlToolkit.Experiments.Running;

/// <summary>Budgets and resources of an experiment run.</summary>
public sealed record RunnerSettings
{
    /// <summary>Wall-clock budget of the search; running trials are cancelled when it runs out. Null = no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Trials to finish (complete, pruned or failed), counting those of a resumed history. Null = no limit.</summary>
    public int? MaxTrials { get; init; }

    /// <summary>Longest a single trial may run before it is cancelled and marked failed. Null = no limit.</summary>
    public TimeSpan? TrialTimeout { get; init; }

    /// <summary>
    /// Highest process working set (MiB) allowed while trials run; over it, the most recently started trial is cancelled
    /// and marked failed. Trials share one process, so this caps the experiment's memory rather than measuring one trial's.
    /// </summary>
    public double? MemoryLimitMb { get; init; }

    /// <summary>Trials run at the same time. Default 1 (the only mode whose history is reproducible).</summary>
    public int ParallelTrials { get; init; } = 1;

    /// <summary>Threads split evenly between parallel trials. Default: the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a cancelled trial gets to stop before the runner stops waiting for it. Default 2 s.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Report every trial's cost to the tuner as one second instead of its wall-clock time, so that cost-aware tuners
    /// (CFO) propose the same history on every run. Worth it when only a trial count bounds the run; under a time
    /// budget the history depends on speed anyway. Default false.
    /// </summary>
    public bool UnitCosts { get; init; }

    /// <summary>Time to keep free at the end of the budget (e.g. to refit the best model); asked again as trials finish.</summary>
    public Func<TimeSpan>? ReserveAtEnd { get; init; }

    /// <summary>
    /// The clock that budgets, trial timeouts, grace periods and durations are measured on. Default: the system clock;
    /// tests pass a clock they move themselves, so that no assertion depends on how fast the machine is.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Reads the memory in use (MiB) that <see cref="MemoryLimitMb"/> is checked against. Default: this process's working
    /// set, sampled as the runner polls.
    /// </summary>
    public Func<double> MemoryProbe { get; init; } = ProcessWorkingSetMb;

    private static double ProcessWorkingSetMb()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    internal void Validate()
    {
        if (TimeBudget is { } budget)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero, nameof(TimeBudget));
        if (MaxTrials is { } trials)
            ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1, nameof(MaxTrials));
        if (TrialTimeout is { } timeout)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(TrialTimeout));
        if (MemoryLimitMb is { } memory)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(memory, 0, nameof(MemoryLimitMb));
        ArgumentOutOfRangeException.ThrowIfLessThan(ParallelTrials, 1, nameof(ParallelTrials));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(StopGracePeriod, TimeSpan.Zero, nameof(StopGracePeriod));
        ArgumentNullException.ThrowIfNull(Clock, nameof(Clock));
        ArgumentNullException.ThrowIfNull(MemoryProbe, nameof(MemoryProbe));
    }
}
