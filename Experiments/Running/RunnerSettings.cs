namespace MlToolkit.Experiments.Running;

/// <summary>Budgets and resources of an experiment run.</summary>
public sealed record RunnerSettings
{
    /// <summary>How often the runner looks at its trials when none has finished.</summary>
    internal static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the runner reads the trials other writers of the study finished, for its tuner.</summary>
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often the runner reads the memory of its running trials (for the cap and their peak).</summary>
    internal static readonly TimeSpan MemoryInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Wall-clock budget of the search; running trials are cancelled when it runs out. Zero starts no trial; null = no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>
    /// Trials of the study, across every writer and counting those of a resumed history: complete, pruned, failed, running
    /// and waiting ones, but not cancelled ones nor those a retry replaced. Null = no limit.
    /// </summary>
    public int? MaxTrials { get; init; }

    /// <summary>Longest a single trial may run before it is cancelled and marked failed. Null = no limit.</summary>
    public TimeSpan? TrialTimeout { get; init; }

    /// <summary>
    /// Memory (MiB) a trial may use. A trial in a worker process is measured alone and its worker killed over the cap (the
    /// trial is marked failed; the next trial gets a new worker). Trials on threads of this process share its working
    /// set: over the cap the most recently started one is cancelled and marked failed.
    /// </summary>
    public double? MemoryLimitMb { get; init; }

    /// <summary>Trials run at the same time by this writer. Default 1.</summary>
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

    /// <summary>
    /// Report this writer's trials to the tuner in the order they started, and start a new one only when fewer than
    /// <see cref="ParallelTrials"/> are unreported, so that with a trial budget the history is the same on every run
    /// whatever the parallelism and whichever trial finishes first (a slot may wait for a slower earlier trial). Default false.
    /// </summary>
    public bool ReproducibleOrder { get; init; }

    /// <summary>How often this writer records that its running trials are alive. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A running trial whose last heartbeat is older than this is failed and retried by any writer. Default 60 s.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>This writer's identity in the store. Default: a new <see cref="Storage.TrialOwner"/> of this process.</summary>
    public string? Owner { get; init; }

    /// <summary>Tells whether another writer is known to be gone (its trials fail at once). Default: <see cref="Storage.TrialOwner.IsGone"/>.</summary>
    public Func<string, bool> OwnerIsGone { get; init; } = Storage.TrialOwner.IsGone;

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
            ArgumentOutOfRangeException.ThrowIfLessThan(budget, TimeSpan.Zero, nameof(TimeBudget));
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
        ArgumentNullException.ThrowIfNull(OwnerIsGone, nameof(OwnerIsGone));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StaleAfter, HeartbeatInterval, nameof(StaleAfter));
    }
}
