using System.Diagnostics;
using System.Globalization;

namespace MlToolkit.Experiments.Running.Workers;

/// <summary>
/// One child process that evaluates trials one at a time: its protocol lines, the tail of its standard error (kept for
/// the error of a trial it dies in), its memory, and how to end it.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int StderrLines = 20;
    private readonly Process _process;
    private readonly object _gate = new();
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource _ready = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TrialOnWorker? _current;
    private string? _fatal;
    private bool _killed;

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>
    /// True while the process runs, holds no trial and was not killed. The runner cancels a trial before it kills its
    /// worker (over the memory cap), and the worker may answer the cancellation before the signal lands: its trial has
    /// ended, but its output has not yet, so without the kill counted here it took the next trial and died with it.
    /// </summary>
    public bool Idle
    {
        get
        {
            lock (_gate)
                return _current is null && !_killed && !_exited.Task.IsCompleted;
        }
    }

    public bool Exited => _exited.Task.IsCompleted;


    public static WorkerProcess Launch(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new WorkerExitedException($"The worker process '{start.FileName}' could not be started.");
        var worker = new WorkerProcess(process);
        new Thread(worker.ReadOutput) { IsBackground = true, Name = $"worker {process.Id} output" }.Start();
        new Thread(worker.ReadErrors) { IsBackground = true, Name = $"worker {process.Id} errors" }.Start();
        return worker;
    }

    /// <summary>Sends <paramref name="trial"/> now if the worker is ready, else as soon as it says so; its task completes when the worker answers or dies.</summary>
    public void Run(TrialOnWorker trial)
    {
        lock (_gate)
        {
            if (_current is not null)
                throw new InvalidOperationException($"Worker {Id} already runs trial {_current.Number}.");
            _current = trial;
        }
        SendWhenReady();
    }

    /// <summary>Cancels trial <paramref name="number"/>: at once if the worker has not been sent it yet (it is still loading), else by asking it.</summary>
    public void Cancel(int number)
    {
        lock (_gate)
        {
            if (_current is { } trial && trial.Number == number && !trial.Sent.Task.IsCompleted)
            {
                _current = null;
                trial.Completion.TrySetCanceled();
                return;
            }
        }
        Send(new WorkerMessage { Kind = WorkerMessage.Cancel, Number = number });
    }

    /// <summary>
    /// Sends the trial in hand once the worker is ready. Called by the runner's thread and by this worker's reader thread
    /// (never through the thread pool, which a busy machine may be slow to give a thread).
    /// </summary>
    private void SendWhenReady()
    {
        TrialOnWorker? trial;
        lock (_gate)
        {
            trial = _current;
            if (trial is null || !_ready.Task.IsCompleted || !trial.Sent.TrySetResult())
                return;
        }
        Send(new WorkerMessage { Kind = WorkerMessage.Trial, Number = trial.Number, Configuration = trial.Configuration, Threads = trial.Threads, SecondsLeft = trial.TimeLeft?.TotalSeconds });
    }

    /// <summary>Its resident memory (MiB), 0 once it has exited.</summary>
    public double MemoryMb()
    {
        try
        {
            _process.Refresh();
            return _process.HasExited ? 0 : _process.WorkingSet64 / (1024.0 * 1024.0);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    public void Kill()
    {
        lock (_gate)
            _killed = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Asks the worker to end (its input closes), and kills it if it has not within <paramref name="wait"/>.</summary>
    public void Stop(TimeSpan wait)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        if (!_exited.Task.Wait(wait))
            Kill();
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(2));
        // The output reader asks the process for its exit status once its output ends: a killed worker's reader may
        // not have got there yet, and a disposed process has none to give (it threw on a background thread, ending
        // the run).
        _exited.Task.Wait(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private void Send(WorkerMessage message)
    {
        try
        {
            lock (_process)
            {
                _process.StandardInput.WriteLine(message.ToLine());
                _process.StandardInput.Flush();
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The worker is gone; ReadOutput fails its trial with the exit status.
        }
    }

    private void ReadOutput()
    {
        string? line;
        while ((line = _process.StandardOutput.ReadLine()) is not null)
        {
            if (WorkerMessage.Parse(line) is { } message)
                Handle(message);
        }
        _process.WaitForExit();
        // Standard error may still be draining: give it a moment, so the tail explains the exit.
        Thread.Sleep(50);
        _exited.TrySetResult();
        _ready.TrySetResult();
        TrialOnWorker? orphan;
        lock (_gate)
            (orphan, _current) = (_current, null);
        orphan?.Completion.TrySetException(new WorkerExitedException(ExitDescription(orphan.Number)));
    }

    private void Handle(WorkerMessage message)
    {
        if (message.Kind == WorkerMessage.Ready)
        {
            _ready.TrySetResult();
            SendWhenReady();
            return;
        }
        if (message.Kind == WorkerMessage.Fatal)
        {
            _fatal = message.Message;
            return;
        }
        TrialOnWorker? trial;
        lock (_gate)
            trial = _current?.Number == message.Number ? _current : null;
        if (trial is null)
            return;
        if (message.Kind == WorkerMessage.Intermediate)
        {
            trial.Report(message.Step ?? 1, message.Value ?? double.NaN);
            return;
        }
        lock (_gate)
            _current = null;
        if (message.Kind == WorkerMessage.Outcome)
            trial.Completion.TrySetResult(new TrialOutcome(message.Value ?? double.NaN, message.Folds ?? Array.Empty<double>(),
                message.Metrics ?? new Dictionary<string, double>(), message.Diagnostics));
        else if (message.Cancelled == true)
            trial.Completion.TrySetCanceled();
        else
            trial.Completion.TrySetException(new WorkerTrialException(message.ErrorType ?? "Exception", message.Message ?? "The trial failed.", message.Details ?? ""));
    }

    private void ReadErrors()
    {
        string? line;
        while ((line = _process.StandardError.ReadLine()) is not null)
        {
            lock (_stderr)
            {
                _stderr.Enqueue(line);
                if (_stderr.Count > StderrLines)
                    _stderr.Dequeue();
            }
        }
    }

    private string ExitDescription(int trial)
    {
        var code = _process.ExitCode;
        var how = code > 128 && code < 160 ? $"was killed by signal {code - 128}{SignalName(code - 128)}" : $"exited with code {code}";
        string tail;
        lock (_stderr)
            tail = string.Join("\n", _stderr);
        var fatal = _fatal is null ? "" : $" It could not start: {_fatal}";
        return string.Create(CultureInfo.InvariantCulture, $"The worker process (pid {_process.Id}) {how} while running trial {trial}.{fatal}")
            + (tail.Length > 0 ? $" Last lines of its standard error:\n{tail}" : " It wrote nothing to standard error.");
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL, e.g. kill -9 or the out-of-memory killer)",
        11 => " (SIGSEGV, a native crash)",
        15 => " (SIGTERM)",
        _ => "",
    };
}

/// <summary>A trial handed to a worker: what to send, where to report progress, and how it ends.</summary>
internal sealed class TrialOnWorker(int number, string configuration, int threads, Action<int, double> report)
{
    public int Number { get; } = number;

    public string Configuration { get; } = configuration;

    public int Threads { get; } = threads;

    /// <summary>The experiment's time left when the trial started, passed on to the worker's trial context.</summary>
    public TimeSpan? TimeLeft { get; init; }

    public TaskCompletionSource<TrialOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the trial is sent to the worker: its evaluation (and its timeout) starts then.</summary>
    public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Report(int step, double loss) => report(step, loss);
}
