using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Running;

/// <summary>
/// Where trials run: on threads of this process (<see cref="InProcessTrialExecutor"/>) or in worker processes
/// (<see cref="Workers.WorkerProcessExecutor"/>). The runner decides what to run and when to stop it; the executor only
/// runs, reports and, when it can, kills.
/// </summary>
public interface ITrialExecutor : IDisposable
{
    /// <summary>
    /// Starts evaluating <paramref name="trial"/>'s configuration. The returned work completes with the outcome, faults
    /// with the trial's error, or ends cancelled once <see cref="TrialContext.CancellationToken"/> fires.
    /// </summary>
    TrialExecution Start(TrialRecord trial, TrialContext context);
}

/// <summary>One trial being evaluated by an executor.</summary>
/// <param name="Work">Completes with the outcome or the failure.</param>
/// <param name="MemoryMb">The memory this trial alone uses (MiB), when the executor can tell; null: the process's, shared with other trials.</param>
/// <param name="Kill">Ends the trial at once (its worker process is killed); null when the trial runs in this process and cannot be.</param>
/// <param name="Evaluating">
/// Completes when the evaluation itself begins (a new worker process first loads its data); the trial timeout counts
/// from then. Null: at once.
/// </param>
public sealed record TrialExecution(Task<TrialOutcome> Work, Func<double>? MemoryMb = null, Action? Kill = null, Task? Evaluating = null);

/// <summary>Runs each trial on its own thread of this process: no start-up cost, but trials share memory, torch's state and fate.</summary>
public sealed class InProcessTrialExecutor : ITrialExecutor
{
    private readonly TrialObjective _objective;

    /// <summary>Runs <paramref name="objective"/>.</summary>
    public InProcessTrialExecutor(TrialObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        _objective = objective;
    }

    /// <inheritdoc/>
    public TrialExecution Start(TrialRecord trial, TrialContext context)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(context);
        return new TrialExecution(Task.Factory.StartNew(() => _objective(trial.Configuration, context), context.CancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
