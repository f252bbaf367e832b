using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Running;

/// <summary>One trial in flight: its work on a dedicated thread, its cancellation, why it was stopped, and what it reported.</summary>
internal sealed class RunningTrial
{
    private readonly CancellationTokenSource _cancellation;
    private readonly RunClock _clock;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly SortedDictionary<int, double> _intermediate = new();
    private readonly TimeSpan? _timeout;
    private TrialContext _context = null!;
    private string? _stopReason;
    private TrialState _stopState;
    private TimeSpan? _stoppedAt;
    private double _peakMb;
    private TrialExecution _execution = null!;
    private string? _killReason;
    private TimeSpan? _evaluatingSince;

    private RunningTrial(TrialRecord record, CancellationToken deadline, TimeSpan? timeout, TimeProvider time)
    {
        Record = record;
        _clock = new RunClock(time);
        _time = time;
        _timeout = timeout;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(deadline);
    }

    public TrialRecord Record { get; }

    public Task<TrialOutcome> Work => _execution.Work;

    public bool Finished => Work.IsCompleted;

    /// <summary>The memory this trial alone uses, when its executor can tell (a worker process); null when it shares the process.</summary>
    public double? OwnMemoryMb => _execution.MemoryMb?.Invoke();

    public static RunningTrial Start(TrialRecord record, ITrialExecutor executor, CancellationToken deadline, int threads, TimeSpan? timeout, TimeSpan? timeLeft,
        TimeProvider time, Action<int, double, RunningTrial> onIntermediate)
    {
        var trial = new RunningTrial(record, deadline, timeout, time);
        trial._context = new TrialContext(record.Number, threads, trial._cancellation.Token, (step, loss) => onIntermediate(step, loss, trial)) { TimeLeft = timeLeft };
        trial._execution = executor.Start(record, trial._context);
        return trial;
    }

    /// <summary>Kills the trial's worker when it has one (<paramref name="why"/> is added to its error); false when it runs in this process.</summary>
    public bool Kill(string why)
    {
        if (_execution.Kill is not { } kill)
            return false;
        lock (_gate)
        {
            if (_killReason is not null)
                return true;
            _killReason = why;
        }
        kill();
        return true;
    }

    public void AddIntermediate(int step, double loss)
    {
        lock (_gate)
            _intermediate[step] = loss;
    }

    public IReadOnlyDictionary<int, double> IntermediateSnapshot()
    {
        lock (_gate)
            return new SortedDictionary<int, double>(_intermediate);
    }

    public void Prune(int step, double loss)
    {
        _context.IsPruned = true;
        Stop(TrialState.Pruned, $"Pruned at step {step} (loss {loss:G4}).");
    }

    /// <summary>
    /// Stops the trial once it has been evaluating longer than its timeout (a worker's data loading does not count). The
    /// runner calls this as it polls, so no timer is needed.
    /// </summary>
    public void CheckTimeout()
    {
        if (_timeout is not { } limit || Work.IsCompleted || _execution.Evaluating is { IsCompleted: false })
            return;
        _evaluatingSince ??= _clock.Elapsed;
        if (_clock.Elapsed - _evaluatingSince.Value >= limit)
            Stop(TrialState.Failed, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Exceeded the trial timeout of {limit.TotalSeconds:0.###} s."));
    }

    public void ObserveMemory(double workingSetMb) => _peakMb = Math.Max(_peakMb, workingSetMb);

    public void StopForMemory(double workingSetMb, double limitMb, bool ownProcess) =>
        Stop(TrialState.Failed, ownProcess
            ? $"Its worker process used {workingSetMb:0} MiB, over the memory cap of {limitMb:0} MiB, and was killed."
            : $"The process used {workingSetMb:0} MiB, over the memory cap of {limitMb:0} MiB.");

    /// <summary>True once the trial was asked to stop and did not within the grace period: the runner stops waiting for it.</summary>
    public bool Abandoned(TimeSpan grace)
    {
        if (_cancellation.IsCancellationRequested && _stoppedAt is null)
            _stoppedAt = _clock.Elapsed;
        return _stoppedAt is { } at && _clock.Elapsed - at > grace;
    }

    public TrialRecord Result(StopReason? runStop)
    {
        // On the same clock as Started, so that Started + Duration orders this trial's end against other trials' starts
        // (the runner replays a stored history in that order).
        var duration = TimeSpan.FromTicks(Math.Max(0, (_time.GetUtcNow() - Record.Started).Ticks));
        var record = Record with { Duration = duration, PeakMemoryMb = _peakMb > 0 ? _peakMb : null, Intermediate = IntermediateSnapshot() };
        if (!Work.IsCompleted)
            return Stopped(record, runStop) with { Error = Stopped(record, runStop).Error + " It did not stop within the grace period and was left to finish in the background." };
        if (_killReason is not null && !Work.IsCompletedSuccessfully)
            return Stopped(record, runStop) with { Error = $"{Stopped(record, runStop).Error} {_killReason}".TrimEnd() };
        if (Work.IsCompletedSuccessfully)
        {
            var outcome = Work.Result;
            if (_stopReason is not null && _stopState == TrialState.Pruned)
                return record with { State = TrialState.Pruned, Error = _stopReason };
            if (!double.IsFinite(outcome.Value))
                return record with { State = TrialState.Failed, Error = $"The metric is {outcome.Value}." };
            return record with { State = TrialState.Complete, Value = outcome.Value, ValueStd = outcome.Std, FoldValues = outcome.FoldValues, Metrics = outcome.Metrics, Diagnostics = outcome.Diagnostics };
        }
        var error = Work.Exception is { } failure ? FailureCause.Of(failure) : null;
        // ML.NET wraps a cancellation raised inside a cursor (e.g. "Shuffle input cursor reader failed"), so look at the causes too.
        if (_cancellation.IsCancellationRequested && (Work.IsCanceled || CausedByCancellation(error)))
            return Stopped(record, runStop);
        return record with
        {
            State = TrialState.Failed,
            Error = error switch
            {
                null => "The trial failed.",
                Workers.WorkerTrialException remote => $"{remote.ErrorType}: {remote.Message}",
                _ => $"{error.GetType().Name}: {error.Message}",
            },
            Diagnostics = error is null ? null : FailureDiagnostics(error),
        };
    }

    /// <summary>Where a failure happened, kept with the trial (as its diagnostics) so that it can be found after the run.</summary>
    private static string FailureDiagnostics(Exception error) => new System.Text.Json.Nodes.JsonObject
    {
        ["kind"] = "exception",
        ["type"] = error.GetType().FullName,
        ["message"] = error.Message,
        ["stackTrace"] = error is Workers.WorkerTrialException remote ? remote.Details : error.ToString(),
    }.ToJsonString();

    private static bool CausedByCancellation(Exception? error)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is OperationCanceledException)
                return true;
            if (cause is AggregateException aggregate && aggregate.InnerExceptions.Any(CausedByCancellation))
                return true;
        }
        return false;
    }

    private TrialRecord Stopped(TrialRecord record, StopReason? runStop)
    {
        if (_stopReason is not null)
            return record with { State = _stopState, Error = _stopReason };
        return record with
        {
            State = TrialState.Cancelled,
            Error = runStop == StopReason.Cancelled ? "Cancelled by the caller." : "Stopped at the experiment's time budget.",
        };
    }

    private void Stop(TrialState state, string reason)
    {
        lock (_gate)
        {
            if (_stopReason is not null)
                return;
            _stopReason = reason;
            _stopState = state;
        }
        _cancellation.Cancel();
    }
}
