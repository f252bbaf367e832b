using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// Where an experiment's trials live. Every change is durable when the call returns, so a process killed at any moment
/// loses at most its running trials. Implementations are thread-safe.
/// </summary>
public interface IExperimentStore : IDisposable
{
    /// <summary>Where the store is (a file path, or "memory").</summary>
    string Location { get; }

    /// <summary>
    /// Creates the study, or opens it when it exists and was created with the same definition; returns true when it
    /// already existed. Trials left <see cref="TrialState.Running"/> by a process that died are marked
    /// <see cref="TrialState.Failed"/>.
    /// </summary>
    /// <exception cref="ExperimentStorageException">The stored study has a different metric, direction or search space.</exception>
    bool OpenStudy(StudyDefinition definition);

    /// <summary>Every trial of the open study, by number.</summary>
    IReadOnlyList<TrialRecord> LoadTrials(SearchSpace space);

    /// <summary>Stores a new running trial and returns its number.</summary>
    int StartTrial(ParameterSet configuration, TrialOrigin origin, int? retryOf, DateTimeOffset started);

    /// <summary>Stores one intermediate value of a running trial.</summary>
    void SaveIntermediate(int trialNumber, int step, double loss);

    /// <summary>Stores a trial's final state and results.</summary>
    void FinishTrial(TrialRecord trial);
}

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
