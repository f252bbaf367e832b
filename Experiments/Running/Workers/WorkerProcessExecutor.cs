using System.Diagnostics;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Running.Workers;

/// <summary>
/// Runs each trial in a worker process (see <see cref="TrialWorker"/>): its own memory, torch state and threads, and a
/// fate apart from the runner's. A worker lives across trials, so data is loaded once per worker; one that dies or is
/// killed (over its memory cap, past the grace period after a cancellation) fails only its trial and is replaced for
/// the next. The runner measures each trial's memory on its worker alone.
/// </summary>
public sealed class WorkerProcessExecutor : ITrialExecutor
{
    private readonly Func<ProcessStartInfo> _startWorker;
    private readonly List<WorkerProcess> _workers = new();
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>
    /// Starts workers with <paramref name="startWorker"/> (a command that runs <see cref="TrialWorker.Serve"/>);
    /// <paramref name="warmWorkers"/> of them are started now, so that they load their data while the runner gets ready.
    /// </summary>
    public WorkerProcessExecutor(Func<ProcessStartInfo> startWorker, int warmWorkers = 1)
    {
        ArgumentNullException.ThrowIfNull(startWorker);
        ArgumentOutOfRangeException.ThrowIfNegative(warmWorkers);
        _startWorker = startWorker;
        for (var i = 0; i < warmWorkers; i++)
        {
            _workers.Add(WorkerProcess.Launch(startWorker()));
            WorkersStarted++;
        }
    }

    /// <summary>Worker processes started so far (replacements included).</summary>
    public int WorkersStarted { get; private set; }

    /// <inheritdoc/>
    public TrialExecution Start(TrialRecord trial, TrialContext context)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(context);
        var worker = TakeWorker();
        var onWorker = new TrialOnWorker(trial.Number, trial.Configuration.ToJson(), context.Threads, context.ReportIntermediate) { TimeLeft = context.TimeLeft };
        worker.Run(onWorker);
        var registration = context.CancellationToken.Register(() => worker.Cancel(trial.Number));
        onWorker.Completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        return new TrialExecution(onWorker.Completion.Task, worker.MemoryMb, worker.Kill, onWorker.Sent.Task);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        List<WorkerProcess> workers;
        lock (_gate)
        {
            _disposed = true;
            workers = _workers.ToList();
            _workers.Clear();
        }
        foreach (var worker in workers)
            worker.Dispose();
    }

    private WorkerProcess TakeWorker()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var dead in _workers.Where(w => w.Exited).ToList())
            {
                _workers.Remove(dead);
                dead.Dispose();
            }
            if (_workers.FirstOrDefault(w => w.Idle) is { } idle)
                return idle;
            var worker = WorkerProcess.Launch(_startWorker());
            WorkersStarted++;
            _workers.Add(worker);
            return worker;
        }
    }
}
