using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Storage;

/// <summary>Keeps trials in memory only: for experiments that need no resume.</summary>
public sealed class InMemoryExperimentStore : IExperimentStore
{
    private readonly object _gate = new();
    private readonly List<TrialRecord> _trials = new();
    private StudyDefinition? _study;

    /// <inheritdoc/>
    public string Location => "memory";

    /// <inheritdoc/>
    public bool OpenStudy(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        lock (_gate)
        {
            if (_study is null)
            {
                _study = definition;
                return false;
            }
            StudyCompatibility.Check(_study, definition, Location);
            return true;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<TrialRecord> LoadTrials(SearchSpace space)
    {
        lock (_gate)
            return _trials.ToList();
    }

    /// <inheritdoc/>
    public int StartTrial(ParameterSet configuration, TrialOrigin origin, int? retryOf, DateTimeOffset started)
    {
        lock (_gate)
        {
            var number = _trials.Count;
            _trials.Add(new TrialRecord { Number = number, Configuration = configuration, State = TrialState.Running, Origin = origin, RetryOf = retryOf, Started = started });
            return number;
        }
    }

    /// <inheritdoc/>
    public void SaveIntermediate(int trialNumber, int step, double loss)
    {
        lock (_gate)
        {
            var trial = _trials[trialNumber];
            _trials[trialNumber] = trial with { Intermediate = new Dictionary<int, double>(trial.Intermediate) { [step] = loss } };
        }
    }

    /// <inheritdoc/>
    public void FinishTrial(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        lock (_gate)
            _trials[trial.Number] = trial;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}

/// <summary>The rule both stores apply when a study is opened again.</summary>
internal static class StudyCompatibility
{
    public static void Check(StudyDefinition stored, StudyDefinition requested, string location)
    {
        if (stored.Metric != requested.Metric || stored.Maximize != requested.Maximize)
            throw new ExperimentStorageException($"Study '{requested.Name}' in {location} optimizes {Goal(stored)}, not {Goal(requested)}. Use another study name or storage file, or the same metric.");
        if (stored.Data != requested.Data)
            throw new ExperimentStorageException($"Study '{requested.Name}' in {location} was run on other data or another evaluation ({stored.Data}; now {requested.Data}), so its trials are not comparable. Use another study name or storage file.");
        if (stored.SearchSpace != requested.SearchSpace)
            throw new ExperimentStorageException($"Study '{requested.Name}' in {location} was created with a different search space (other trainers, task or ranges), so its trials cannot be resumed. Use another study name or storage file.\nStored:\n{stored.SearchSpace}\nRequested:\n{requested.SearchSpace}");
    }

    private static string Goal(StudyDefinition study) => $"{(study.Maximize ? "max" : "min")} {study.Metric}";
}
