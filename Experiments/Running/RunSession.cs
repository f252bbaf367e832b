using MlToolkit.Experiments.Storage;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Experiments.Running;

/// <summary>
/// One call of <see cref="ExperimentRunner.Run(ITrialExecutor, CancellationToken)"/>: the trials in flight, what is
/// known of the finished ones (this writer's and the others'), and how to start, stop and report trials.
/// </summary>
internal sealed class RunSession
{
    private readonly ExperimentRunner _runner;
    private readonly RunnerSettings _settings;
    private readonly ITrialExecutor _executor;
    private readonly ITuner _tuner;
    private readonly IntermediateValues _board = new();
    private readonly RunClock _clock;
    private readonly CancellationTokenSource _deadline;
    private readonly int _threads;
    private readonly string _owner;
    private readonly HashSet<int> _known = new();
    /// <summary>This writer's trials in the order it started them (enqueued trials can have lower numbers than earlier ones).</summary>
    private readonly List<int> _startOrder = new();
    private int _reported;
    private readonly Dictionary<int, TrialRecord> _toReport = new();
    private TimeSpan _lastBeat;
    private TimeSpan _lastRefresh;
    private TimeSpan? _lastMemoryCheck;

    public RunSession(ExperimentRunner runner, ITrialExecutor executor, ITuner tuner, IReadOnlyList<TrialRecord> history, RunClock clock, CancellationTokenSource deadline)
    {
        (_runner, _executor, _tuner, _clock, _deadline) = (runner, executor, tuner, clock, deadline);
        _settings = runner.Settings;
        _owner = _settings.Owner ?? TrialOwner.NewForThisProcess();
        var finished = history.Where(IsFinished).ToList();
        foreach (var trial in finished)
            Learn(trial);
        State = new RunState(finished, runner.Study.Maximize);
        _threads = Math.Max(1, _settings.Threads / _settings.ParallelTrials);
    }

    public RunState State { get; }

    public List<RunningTrial> Running { get; } = new();

    /// <summary>Enforces memory and timeouts, then stores, reports and announces every trial that finished or was given up on.</summary>
    public void CollectFinished(Func<StopReason?> stopReason)
    {
        WatchMemory();
        foreach (var trial in Running)
            trial.CheckTimeout();
        var done = Running.Where(t => t.Finished || (t.Abandoned(_settings.StopGracePeriod)
            && !t.Kill($"It did not stop within {_settings.StopGracePeriod.TotalSeconds:0.#} s, so its worker process was killed."))).OrderBy(t => t.Record.Number).ToList();
        var reason = done.Count > 0 ? stopReason() : null;
        foreach (var trial in done)
        {
            Running.Remove(trial);
            var record = trial.Result(reason);
            if (!_runner.Store.FinishTrial(record))
                record = record with { State = TrialState.Failed, Error = "It finished after another writer had failed it for a missing heartbeat; its retry counts instead." };
            Learn(record);
            _toReport[record.Number] = record;
            State.Add(record);
            _runner.Notify(KindOf(record.State), record, State.Best, _clock.Elapsed);
            if (record.State == TrialState.Complete && ReferenceEquals(State.Best, record))
                _runner.Notify(ExperimentEventKind.NewBest, record, record, _clock.Elapsed);
        }
        ReportFinished();
    }

    /// <summary>Keeps the shared study healthy: heartbeats this writer's trials, fails other writers' stale ones, learns their finished ones.</summary>
    public void KeepShared()
    {
        var now = _clock.Elapsed;
        if (now - _lastBeat >= _settings.HeartbeatInterval)
        {
            _lastBeat = now;
            _runner.Store.Heartbeat(Running.Select(t => t.Record.Number).ToList(), _settings.Clock.GetUtcNow());
            _runner.Store.FailStaleTrials(_settings.Clock.GetUtcNow() - _settings.StaleAfter, _settings.OwnerIsGone);
        }
        if (now - _lastRefresh >= RunnerSettings.RefreshInterval)
        {
            _lastRefresh = now;
            Refresh();
        }
    }

    /// <summary>Reports to the tuner, and counts, the trials other writers finished since the last look.</summary>
    public void Refresh()
    {
        foreach (var trial in _runner.Store.LoadTrials(_runner.Space).Where(t => IsFinished(t) && !_startOrder.Contains(t.Number) && !_known.Contains(t.Number)))
        {
            Learn(trial);
            State.Add(trial);
            _tuner.Report(_runner.ToReport(trial));
        }
    }

    /// <summary>Starts trials up to the parallelism; returns why the run stops when the store refuses more and none is running.</summary>
    public StopReason? StartTrials()
    {
        // A cancellation that came after the runner's last look starts nothing more: the next look stops the run.
        while (Running.Count < _settings.ParallelTrials && !_deadline.IsCancellationRequested && (!_settings.ReproducibleOrder || ReportUpTo(_startOrder.Count)))
        {
            var start = _runner.Store.StartTrial(_runner.Space, new TrialClaim(_owner, _settings.Clock.GetUtcNow()), _settings.MaxTrials, _tuner.Propose);
            if (start.Trial is not { } record)
                return Running.Count > 0 ? null : start.CapReached ? StopReason.MaxTrials : StopReason.SpaceExhausted;
            _startOrder.Add(record.Number);
            State.Reserve(record.Number);
            _runner.Notify(ExperimentEventKind.TrialStarted, record, State.Best, _clock.Elapsed);
            Running.Add(RunningTrial.Start(record, _executor, _deadline.Token, _threads, _settings.TrialTimeout, _runner.TimeLeft(_clock), _settings.Clock,
                (step, loss, trial) => OnIntermediate(trial, step, loss)));
        }
        return null;
    }

    /// <summary>
    /// Tells the tuner how this writer's trials ended: at once, or, in reproducible order, only when the tuner is about
    /// to propose and then exactly the trials started <see cref="RunnerSettings.ParallelTrials"/> or more proposals
    /// earlier (see <see cref="StartTrials"/>), so that what the tuner knows at each proposal never depends on timing.
    /// </summary>
    private void ReportFinished()
    {
        if (_settings.ReproducibleOrder)
            return;
        foreach (var record in _toReport.Values.OrderBy(r => r.Number))
            _tuner.Report(_runner.ToReport(record));
        _toReport.Clear();
    }

    /// <summary>
    /// Reproducible order: before this writer's k-th trial, the tuner gets the reports of its trials 0 … k − N (in start
    /// order) and no others; false while one of those is still running (the start waits for it).
    /// </summary>
    private bool ReportUpTo(int started)
    {
        var due = started - _settings.ParallelTrials + 1;
        while (_reported < due)
        {
            if (!_toReport.Remove(_startOrder[_reported], out var record))
                return false;
            _tuner.Report(_runner.ToReport(record));
            _reported++;
        }
        return true;
    }

    private void OnIntermediate(RunningTrial trial, int step, double loss)
    {
        _board.Add(trial.Record.Number, step, loss);
        trial.AddIntermediate(step, loss);
        _runner.Store.SaveIntermediate(trial.Record.Number, step, loss);
        _runner.Notify(ExperimentEventKind.TrialProgress, trial.Record with { Intermediate = trial.IntermediateSnapshot() }, State.Best, _clock.Elapsed, step);
        if (_runner.Pruner.ShouldPrune(trial.Record.Number, step, loss, _board))
            trial.Prune(step, loss);
    }

    /// <summary>
    /// A trial in a worker process is measured alone and its worker killed over the cap; trials on threads of this process
    /// share its working set, so over the cap the newest of them is stopped.
    /// </summary>
    private void WatchMemory()
    {
        // Reading a process's memory costs a /proc read and allocations: a few times a second is enough for a cap.
        if (Running.Count == 0 || (_lastMemoryCheck is { } last && _clock.Elapsed - last < RunnerSettings.MemoryInterval))
            return;
        _lastMemoryCheck = _clock.Elapsed;
        double? shared = null;
        foreach (var trial in Running.Where(t => !t.Finished))
        {
            var own = trial.OwnMemoryMb;
            var used = own ?? (shared ??= _settings.MemoryProbe());
            trial.ObserveMemory(used);
            if (own is { } mb && _settings.MemoryLimitMb is { } cap && mb > cap)
            {
                trial.StopForMemory(mb, cap, ownProcess: true);
                trial.Kill("");
            }
        }
        if (shared is { } processMb && _settings.MemoryLimitMb is { } limit && processMb > limit)
            Running.Where(t => !t.Finished && t.OwnMemoryMb is null).OrderByDescending(t => t.Record.Started).FirstOrDefault()?.StopForMemory(processMb, limit, ownProcess: false);
    }

    private void Learn(TrialRecord trial)
    {
        _known.Add(trial.Number);
        foreach (var (step, loss) in trial.Intermediate)
            _board.Add(trial.Number, step, loss);
        if (trial.State == TrialState.Complete)
            _board.MarkComplete(trial.Number);
    }

    private static bool IsFinished(TrialRecord trial) => trial.State is not (TrialState.Waiting or TrialState.Running);

    private static ExperimentEventKind KindOf(TrialState state) => state switch
    {
        TrialState.Complete => ExperimentEventKind.TrialCompleted,
        TrialState.Pruned => ExperimentEventKind.TrialPruned,
        TrialState.Cancelled => ExperimentEventKind.TrialCancelled,
        _ => ExperimentEventKind.TrialFailed,
    };
}
