using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// Where an experiment's trials live, shared by every process that runs the same study (writers). Every change is
/// durable when the call returns, so a writer killed at any moment loses at most its running trials, which the others
/// fail and retry once their heartbeats stop. Numbering, claiming and the trial cap are atomic across writers.
/// Implementations are thread-safe; the repository's store conformance tests hold every store to the same rules.
/// </summary>
public interface IExperimentStore : IDisposable
{
    /// <summary>Where the store is (a file path, a connection string without its password, or "memory").</summary>
    string Location { get; }

    /// <summary>
    /// Creates the study, or opens it when it exists and was created with the same definition; returns true when it
    /// already existed. Several writers may open the same study at once.
    /// </summary>
    /// <exception cref="ExperimentStorageException">The stored study has a different metric, direction or search space.</exception>
    bool OpenStudy(StudyDefinition definition);

    /// <summary>Every trial of the open study (of every writer, waiting ones included), by number.</summary>
    IReadOnlyList<TrialRecord> LoadTrials(SearchSpace space);

    /// <summary>
    /// Stores a <see cref="TrialState.Waiting"/> trial for any writer to claim, unless that would exceed
    /// <paramref name="maxTrials"/> (see <see cref="TrialStart.CapReached"/> for what counts), or a retry of
    /// <paramref name="retryOf"/> exists already, or (for <see cref="TrialOrigin.Enqueued"/>) a trial of the same
    /// configuration exists already. Returns its number, or null when nothing was stored.
    /// </summary>
    int? EnqueueTrial(ParameterSet configuration, TrialOrigin origin, int? retryOf, int? maxTrials, DateTimeOffset now);

    /// <summary>
    /// In one atomic step: claims the lowest-numbered waiting trial for <paramref name="claim"/>'s owner; or, when none
    /// waits and the study counts fewer than <paramref name="maxTrials"/> trials, numbers a new trial, asks
    /// <paramref name="propose"/> for its configuration and stores it as running. <paramref name="propose"/> gets the
    /// trial's final number and runs while other writers wait, so it must be quick. A proposal another writer already
    /// holds or has evaluated is asked for again (a few times), so that writers starting together do not all run the
    /// same first configurations.
    /// </summary>
    TrialStart StartTrial(SearchSpace space, TrialClaim claim, int? maxTrials, Func<int, ParameterSet?> propose);

    /// <summary>Records that the owner of these running trials is alive at <paramref name="now"/>.</summary>
    void Heartbeat(IReadOnlyCollection<int> trialNumbers, DateTimeOffset now);

    /// <summary>
    /// Fails every running trial whose owner is gone (<paramref name="ownerIsGone"/>) or whose last heartbeat is before
    /// <paramref name="staleBefore"/>, and queues one retry of each (a retry is not retried again), atomically so that
    /// two writers never retry the same trial. Returns the numbers failed.
    /// </summary>
    IReadOnlyList<int> FailStaleTrials(DateTimeOffset staleBefore, Func<string, bool> ownerIsGone);

    /// <summary>Stores one intermediate value of a running trial.</summary>
    void SaveIntermediate(int trialNumber, int step, double loss);

    /// <summary>
    /// Stores a trial's final state and results. A trial no longer running in the store (failed as stale by another
    /// writer meanwhile) is left as it is: its retry owns the outcome. Returns whether it was stored.
    /// </summary>
    bool FinishTrial(TrialRecord trial);
}

/// <summary>Who starts a trial and when: the owner (a writer's identity, see <see cref="TrialOwner"/>) heartbeats it from then on.</summary>
/// <param name="Owner">The writer's identity.</param>
/// <param name="Now">The start time, also its first heartbeat.</param>
public sealed record TrialClaim(string Owner, DateTimeOffset Now);

/// <summary>What <see cref="IExperimentStore.StartTrial"/> did.</summary>
/// <param name="Trial">The running trial, claimed or new; null when none was started.</param>
/// <param name="CapReached">
/// True when the study already counts the trial cap: every trial except cancelled ones and those superseded by a retry
/// (waiting and running trials count, so that writers never start more than the cap between them).
/// </param>
/// <param name="Exhausted">True when the tuner had nothing left to propose.</param>
public sealed record TrialStart(TrialRecord? Trial, bool CapReached = false, bool Exhausted = false);

/// <summary>What makes a study: resuming needs the same metric, direction, search space and data.</summary>
/// <param name="Name">Study name, unique within the store.</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Maximize">Whether higher is better.</param>
/// <param name="SearchSpace">The space's <c>SearchSpace.Describe()</c> text.</param>
/// <param name="Data">A fingerprint of the data and its evaluation (rows, columns, label, folds, seed): trials on other data are not comparable.</param>
/// <param name="Settings">Free-form description of the other settings (tuner, budgets), kept for reports; may change between runs.</param>
public sealed record StudyDefinition(string Name, string Metric, bool Maximize, string SearchSpace, string Data, string Settings);

/// <summary>The experiment store cannot be opened or does not match the experiment.</summary>
public sealed class ExperimentStorageException : MlToolkitException
{
    /// <summary>Creates the exception.</summary>
    public ExperimentStorageException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ExperimentStorageException(string message, Exception inner) : base(message, inner)
    {
    }
}
