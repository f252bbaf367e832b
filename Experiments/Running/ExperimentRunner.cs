using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Experiments.Running;

/// <summary>
/// Runs trials of an objective under budgets: asks the tuner, stores each trial as it starts and as it ends, reports
/// to the tuner, prunes, and stops at the deadline, the trial budget or on cancellation. It knows nothing of what
/// a trial trains. Resuming: the tuner is rebuilt by replaying the stored history; trials that were cancelled or
/// whose process died are retried once before new proposals.
/// </summary>
public sealed class ExperimentRunner
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private readonly IExperimentStore _store;
    private readonly StudyDefinition _study;
    private readonly SearchSpace _space;
    private readonly Func<ITuner> _createTuner;
    private readonly IPruner _pruner;
    private readonly RunnerSettings _settings;
    private readonly IProgress<ExperimentEvent>? _progress;
    private readonly Queue<ParameterSet> _enqueued = new();

    /// <summary>Creates the runner; nothing runs until <see cref="Run"/>.</summary>
    public ExperimentRunner(IExperimentStore store, StudyDefinition study, SearchSpace space, Func<ITuner> createTuner, IPruner? pruner = null,
        RunnerSettings? settings = null, IProgress<ExperimentEvent>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(createTuner);
        _store = store;
        _study = study;
        _space = space;
        _createTuner = createTuner;
        _pruner = pruner ?? new NoPruner();
        _settings = settings ?? new RunnerSettings();
        _settings.Validate();
        _progress = progress;
    }

    /// <summary>Evaluates <paramref name="configuration"/> before anything the tuner proposes (checked against the space now).</summary>
    public void Enqueue(ParameterSet configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _enqueued.Enqueue(_space.Configuration(configuration.Values));
    }

    /// <summary>Runs until a budget is spent, the tuner is exhausted, or <paramref name="cancellationToken"/> fires (within the grace period).</summary>
    public RunSummary Run(TrialObjective objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var clock = new RunClock(_settings.Clock);
        _store.OpenStudy(_study);
        var history = _store.LoadTrials(_space).ToList();
        var tuner = _createTuner();
        Replay(history, tuner);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = new Session(this, objective, tuner, history, clock, deadline);
        StopReason? reason = null;
        while (true)
        {
            reason ??= cancellationToken.IsCancellationRequested ? StopReason.Cancelled : PastDeadline(clock) ? StopReason.TimeBudget : null;
            if (reason is StopReason.Cancelled or StopReason.TimeBudget)
                deadline.Cancel();
            run.CollectFinished(reason);
            if (reason is null && run.Running.Count == 0 && _settings.MaxTrials is { } max && run.State.Finished >= max)
                reason = StopReason.MaxTrials;
            if (reason is null)
                reason = run.StartTrials();
            if (run.Running.Count == 0 && reason is not null)
                break;
            if (run.Running.Count > 0)
                Task.WaitAny(run.Running.Select(t => t.Work).ToArray(), Poll);
        }
        return new RunSummary(run.State.Trials, run.State.Best, reason.Value, clock.Elapsed, history.Count);
    }

    /// <summary>One call of <see cref="Run"/>: the trials in flight, what is known of the finished ones, and how to start the next.</summary>
    private sealed class Session
    {
        private readonly ExperimentRunner _runner;
        private readonly TrialObjective _objective;
        private readonly ITuner _tuner;
        private readonly IntermediateValues _board = new();
        private readonly Queue<TrialRecord> _retries;
        private readonly RunClock _clock;
        private readonly CancellationTokenSource _deadline;
        private readonly int _threads;

        public Session(ExperimentRunner runner, TrialObjective objective, ITuner tuner, List<TrialRecord> history, RunClock clock, CancellationTokenSource deadline)
        {
            (_runner, _objective, _tuner, _clock, _deadline) = (runner, objective, tuner, clock, deadline);
            foreach (var trial in history)
            {
                foreach (var (step, loss) in trial.Intermediate)
                    _board.Add(trial.Number, step, loss);
                if (trial.State == TrialState.Complete)
                    _board.MarkComplete(trial.Number);
            }
            _retries = new Queue<TrialRecord>(history.Where(t => NeedsRetry(t, history)));
            State = new RunState(history, runner._study.Maximize);
            _threads = Math.Max(1, runner._settings.Threads / runner._settings.ParallelTrials);
        }

        public RunState State { get; }

        public List<RunningTrial> Running { get; } = new();

        /// <summary>Enforces memory and timeouts, then stores, reports and announces every trial that finished or was given up on.</summary>
        public void CollectFinished(StopReason? reason)
        {
            _runner.WatchMemory(Running);
            foreach (var trial in Running)
                trial.CheckTimeout();
            foreach (var trial in Running.Where(t => t.Finished || t.Abandoned(_runner._settings.StopGracePeriod)).ToList())
            {
                Running.Remove(trial);
                var record = trial.Result(reason);
                _runner._store.FinishTrial(record);
                _tuner.Report(_runner.ToReport(record));
                if (record.State == TrialState.Complete)
                    _board.MarkComplete(record.Number);
                State.Add(record);
                _runner.Notify(KindOf(record.State), record, State.Best, _clock.Elapsed);
                if (record.State == TrialState.Complete && ReferenceEquals(State.Best, record))
                    _runner.Notify(ExperimentEventKind.NewBest, record, record, _clock.Elapsed);
            }
        }

        /// <summary>Starts trials up to the parallelism and the trial budget; returns why the run stops when there is nothing left to try.</summary>
        public StopReason? StartTrials()
        {
            var settings = _runner._settings;
            while (Running.Count < settings.ParallelTrials && !(settings.MaxTrials is { } limit && State.Finished + Running.Count >= limit))
            {
                var (configuration, origin, retryOf) = _runner.Next(_tuner, _retries, State);
                if (configuration is null)
                    return Running.Count == 0 ? StopReason.SpaceExhausted : null;
                var started = settings.Clock.GetUtcNow();
                var number = _runner._store.StartTrial(configuration, origin, retryOf, started);
                var record = new TrialRecord { Number = number, Configuration = configuration, State = TrialState.Running, Origin = origin, RetryOf = retryOf, Started = started };
                State.Reserve(number);
                _runner.Notify(ExperimentEventKind.TrialStarted, record, State.Best, _clock.Elapsed);
                Running.Add(RunningTrial.Start(record, _objective, _deadline.Token, _threads, settings.TrialTimeout, settings.Clock,
                    (step, loss, trial) => _runner.OnIntermediate(trial, step, loss, _board, State, _clock)));
            }
            return null;
        }
    }

    /// <summary>
    /// Rebuilds the tuner from a stored history in the order things happened: each tuner proposal when its trial started,
    /// each report when its trial ended; at equal times (a coarse clock) in trial order, a trial's proposal before its
    /// report. With one trial at a time that is propose, report, propose, ...; with parallel trials proposals run ahead.
    /// </summary>
    private void Replay(IReadOnlyList<TrialRecord> history, ITuner tuner)
    {
        var events = history.Where(t => t.Origin == TrialOrigin.Tuner).Select(t => (At: t.Started, Report: false, Trial: t))
            .Concat(history.Select(t => (At: t.Started + t.Duration, Report: true, Trial: t)))
            .OrderBy(e => e.At).ThenBy(e => e.Trial.Number).ThenBy(e => e.Report ? 1 : 0);
        foreach (var (_, report, trial) in events)
        {
            if (report)
                tuner.Report(ToReport(trial));
            else
                tuner.Propose(trial.Number);
        }
    }

    private (ParameterSet? Configuration, TrialOrigin Origin, int? RetryOf) Next(ITuner tuner, Queue<TrialRecord> retries, RunState state)
    {
        if (retries.TryDequeue(out var retry))
            return (retry.Configuration, TrialOrigin.Retry, retry.Number);
        if (_enqueued.TryDequeue(out var enqueued))
            return (enqueued, TrialOrigin.Enqueued, null);
        return (tuner.Propose(state.NextNumber), TrialOrigin.Tuner, null);
    }

    private void OnIntermediate(RunningTrial trial, int step, double loss, IntermediateValues board, RunState state, RunClock clock)
    {
        board.Add(trial.Record.Number, step, loss);
        trial.AddIntermediate(step, loss);
        _store.SaveIntermediate(trial.Record.Number, step, loss);
        Notify(ExperimentEventKind.TrialProgress, trial.Record with { Intermediate = trial.IntermediateSnapshot() }, state.Best, clock.Elapsed, step);
        if (_pruner.ShouldPrune(trial.Record.Number, step, loss, board))
            trial.Prune(step, loss);
    }

    private bool PastDeadline(RunClock clock)
    {
        if (_settings.TimeBudget is not { } budget)
            return false;
        var reserve = _settings.ReserveAtEnd?.Invoke() ?? TimeSpan.Zero;
        return clock.Elapsed >= budget - reserve;
    }

    private void WatchMemory(List<RunningTrial> running)
    {
        if (running.Count == 0)
            return;
        var workingSetMb = _settings.MemoryProbe();
        foreach (var trial in running)
            trial.ObserveMemory(workingSetMb);
        if (_settings.MemoryLimitMb is { } limit && workingSetMb > limit)
            running.Where(t => !t.Finished).OrderByDescending(t => t.Record.Started).FirstOrDefault()?.StopForMemory(workingSetMb, limit);
    }

    private static bool NeedsRetry(TrialRecord trial, IReadOnlyList<TrialRecord> history) =>
        (trial.State == TrialState.Cancelled || (trial.State == TrialState.Failed && trial.Error == "The process ended while this trial was running."))
        && trial.Origin != TrialOrigin.Retry
        && !history.Any(t => t.RetryOf == trial.Number);

    private TrialReport ToReport(TrialRecord trial) => new(trial.Number, trial.Configuration, trial.State,
        trial.State == TrialState.Complete ? trial.Value is { } v ? (_study.Maximize ? -v : v) : null
        : trial.State == TrialState.Pruned && trial.Intermediate.Count > 0 ? trial.Intermediate.MaxBy(p => p.Key).Value : null,
        _settings.UnitCosts ? TimeSpan.FromSeconds(1) : trial.Duration);

    private void Notify(ExperimentEventKind kind, TrialRecord trial, TrialRecord? best, TimeSpan elapsed, int? step = null) =>
        _progress?.Report(new ExperimentEvent(kind, trial, best, elapsed, _settings.TimeBudget, step));

    private static ExperimentEventKind KindOf(TrialState state) => state switch
    {
        TrialState.Complete => ExperimentEventKind.TrialCompleted,
        TrialState.Pruned => ExperimentEventKind.TrialPruned,
        TrialState.Cancelled => ExperimentEventKind.TrialCancelled,
        _ => ExperimentEventKind.TrialFailed,
    };
}
