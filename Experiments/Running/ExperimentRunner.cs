using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Experiments.Running;

/// <summary>
/// Runs trials of an objective under budgets: starts each through the store (which numbers, claims and caps trials
/// across every process sharing the study), asks the tuner, reports to it, prunes, heartbeats its running trials and
/// fails other writers' stale ones, and stops at the deadline, the trial budget or on cancellation. It knows nothing
/// of what a trial trains, nor where it runs (<see cref="ITrialExecutor"/>). Resuming: the tuner is rebuilt by
/// replaying the stored history; trials that were cancelled or whose process died are retried once.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly List<ParameterSet> _enqueued = new();

    /// <summary>Creates the runner; nothing runs until <see cref="Run(ITrialExecutor, CancellationToken)"/>.</summary>
    public ExperimentRunner(IExperimentStore store, StudyDefinition study, SearchSpace space, Func<ITuner> createTuner, IPruner? pruner = null,
        RunnerSettings? settings = null, IProgress<ExperimentEvent>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(createTuner);
        Store = store;
        Study = study;
        Space = space;
        CreateTuner = createTuner;
        Pruner = pruner ?? new NoPruner();
        Settings = settings ?? new RunnerSettings();
        Settings.Validate();
        Progress = progress;
    }

    internal IExperimentStore Store { get; }

    internal StudyDefinition Study { get; }

    internal SearchSpace Space { get; }

    internal Func<ITuner> CreateTuner { get; }

    internal IPruner Pruner { get; }

    internal RunnerSettings Settings { get; }

    internal IProgress<ExperimentEvent>? Progress { get; }

    /// <summary>
    /// Evaluates <paramref name="configuration"/> before anything the tuner proposes (checked against the space now). In a
    /// shared study it runs once, whichever writer claims it; a configuration the study has already tried is skipped.
    /// </summary>
    public void Enqueue(ParameterSet configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _enqueued.Add(Space.Configuration(configuration.Values));
    }

    /// <summary>Runs <paramref name="objective"/> on threads of this process; see <see cref="Run(ITrialExecutor, CancellationToken)"/>.</summary>
    public RunSummary Run(TrialObjective objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        using var executor = new InProcessTrialExecutor(objective);
        return Run(executor, cancellationToken);
    }

    /// <summary>Runs until a budget is spent, the tuner is exhausted, or <paramref name="cancellationToken"/> fires (within the grace period).</summary>
    public RunSummary Run(ITrialExecutor executor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var clock = new RunClock(Settings.Clock);
        Store.OpenStudy(Study);
        Store.FailStaleTrials(Settings.Clock.GetUtcNow() - Settings.StaleAfter, Settings.OwnerIsGone);
        var history = Store.LoadTrials(Space);
        EnqueueRetriesAndStarts(history);
        var tuner = CreateTuner();
        Replay(history, tuner);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = new RunSession(this, executor, tuner, history, clock, deadline);
        StopReason? reason = null;
        StopReason? StopNow() => cancellationToken.IsCancellationRequested ? StopReason.Cancelled : PastDeadline(clock) ? StopReason.TimeBudget : null;
        while (true)
        {
            reason ??= StopNow();
            if (reason is StopReason.Cancelled or StopReason.TimeBudget)
                deadline.Cancel();
            // Asked again once the finished trials are known: a trial that ended because the caller cancelled after the
            // check above must still be told why.
            run.CollectFinished(() => reason ??= StopNow());
            run.KeepShared();
            reason ??= run.StartTrials();
            if (run.Running.Count == 0 && reason is not null)
                break;
            if (run.Running.Count > 0)
                Task.WaitAny(run.Running.Select(t => t.Work).ToArray(), RunnerSettings.Poll);
        }
        run.Refresh();
        return new RunSummary(run.State.Trials, run.State.Best, reason.Value, clock.Elapsed, history.Count(t => t.State is not (TrialState.Waiting or TrialState.Running)));
    }

    /// <summary>Queues one retry of each cancelled trial, then the user's configurations; the store skips what another writer queued first.</summary>
    private void EnqueueRetriesAndStarts(IReadOnlyList<TrialRecord> history)
    {
        var now = Settings.Clock.GetUtcNow();
        foreach (var trial in history.Where(t => t.State == TrialState.Cancelled && t.Origin != TrialOrigin.Retry))
            Store.EnqueueTrial(trial.Configuration, TrialOrigin.Retry, trial.Number, Settings.MaxTrials, now);
        foreach (var configuration in _enqueued)
            Store.EnqueueTrial(configuration, TrialOrigin.Enqueued, null, Settings.MaxTrials, now);
    }

    /// <summary>
    /// Rebuilds the tuner from a stored history in the order things happened: each tuner proposal when its trial started,
    /// each report when its trial ended; at equal times (a coarse clock) in trial order, a trial's proposal before its
    /// report. With one trial at a time that is propose, report, propose, ...; with parallel trials proposals run ahead.
    /// Trials still waiting or running (another writer's) are reported when they end.
    /// </summary>
    private void Replay(IReadOnlyList<TrialRecord> history, ITuner tuner)
    {
        var finished = history.Where(t => t.State is not (TrialState.Waiting or TrialState.Running)).ToList();
        var events = finished.Where(t => t.Origin == TrialOrigin.Tuner).Select(t => (At: t.Started, Report: false, Trial: t))
            .Concat(finished.Select(t => (At: t.Started + t.Duration, Report: true, Trial: t)))
            .OrderBy(e => e.At).ThenBy(e => e.Trial.Number).ThenBy(e => e.Report ? 1 : 0);
        foreach (var (_, report, trial) in events)
        {
            if (report)
                tuner.Report(ToReport(trial));
            else
                tuner.Propose(trial.Number);
        }
    }

    private bool PastDeadline(RunClock clock) => TimeLeft(clock) <= TimeSpan.Zero;

    /// <summary>The budget minus the refit reserve minus the time spent; null without a budget.</summary>
    internal TimeSpan? TimeLeft(RunClock clock) =>
        Settings.TimeBudget is { } budget ? budget - (Settings.ReserveAtEnd?.Invoke() ?? TimeSpan.Zero) - clock.Elapsed : null;

    internal TrialReport ToReport(TrialRecord trial) => new(trial.Number, trial.Configuration, trial.State,
        trial.State == TrialState.Complete ? trial.Value is { } v ? (Study.Maximize ? -v : v) : null
        : trial.State == TrialState.Pruned && trial.Intermediate.Count > 0 ? trial.Intermediate.MaxBy(p => p.Key).Value : null,
        Settings.UnitCosts ? TimeSpan.FromSeconds(1) : trial.Duration);

    internal void Notify(ExperimentEventKind kind, TrialRecord trial, TrialRecord? best, TimeSpan elapsed, int? step = null) =>
        Progress?.Report(new ExperimentEvent(kind, trial, best, elapsed, Settings.TimeBudget, step));
}
