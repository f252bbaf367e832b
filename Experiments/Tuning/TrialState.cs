namespace MlToolkit.Experiments.Tuning;

/// <summary>Where a trial stands. Only <see cref="Complete"/> trials carry a final value.</summary>
public enum TrialState
{
    /// <summary>Proposed and being evaluated (or the process died while it was: see resume).</summary>
    Running,

    /// <summary>Evaluated; its value counts.</summary>
    Complete,

    /// <summary>Stopped early by a pruner because its intermediate values were unpromising.</summary>
    Pruned,

    /// <summary>Threw, ran out of its time or memory allowance, or diverged.</summary>
    Failed,

    /// <summary>Stopped by the experiment's deadline or by the caller; retried when the experiment resumes.</summary>
    Cancelled,

    /// <summary>Stored but not started: enqueued by a user or a retry, run by whichever writer of the study claims it first.</summary>
    Waiting,
}
