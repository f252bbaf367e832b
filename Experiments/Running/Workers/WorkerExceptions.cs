namespace MlToolkit.Experiments.Running.Workers;

/// <summary>A trial threw in its worker process; the worker's exception type, message and stack trace come with it.</summary>
public sealed class WorkerTrialException : MlToolkitException
{
    /// <summary>Creates the exception.</summary>
    public WorkerTrialException(string errorType, string message, string details)
        : base(message)
    {
        ErrorType = errorType;
        Details = details;
    }

    /// <summary>The short name of the exception's type in the worker.</summary>
    public string ErrorType { get; }

    /// <summary>The exception as the worker printed it (with its stack trace and causes).</summary>
    public string Details { get; }
}

/// <summary>A worker process ended while it ran a trial (a native crash, an out-of-memory kill, kill -9) or could not start.</summary>
public sealed class WorkerExitedException : MlToolkitException
{
    /// <summary>Creates the exception.</summary>
    public WorkerExitedException(string message)
        : base(message)
    {
    }
}
