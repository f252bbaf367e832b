using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Storage;

/// <summary>
/// Keeps trials in memory only: for experiments that need no resume, and for several runners in one process sharing a
/// study (the same rules as the database stores, under one lock).
/// </summary>
public sealed class InMemoryExperimentStore : IExperimentStore
{
    private readonly object _gate = new();
    private readonly List<TrialRecord> _trials = new();
    private readonly Dictionary<int, (string Owner, DateTimeOffset Heartbeat)> _holders = new();
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
    public int? EnqueueTrial(ParameterSet configuration, TrialOrigin origin, int? retryOf, int? maxTrials, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        lock (_gate)
        {
            var duplicate = retryOf is { } retried ? _trials.Any(t => t.RetryOf == retried)
                : origin == TrialOrigin.Enqueued && _trials.Any(t => t.Configuration.ToJson() == configuration.ToJson());
            if (duplicate || (maxTrials is { } max && CountedTrials() >= max))
                return null;
            _trials.Add(new TrialRecord { Number = _trials.Count, Configuration = configuration, State = TrialState.Waiting, Origin = origin, RetryOf = retryOf, Started = now });
            return _trials.Count - 1;
        }
    }

    /// <inheritdoc/>
    public TrialStart StartTrial(SearchSpace space, TrialClaim claim, int? maxTrials, Func<int, ParameterSet?> propose)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(propose);
        lock (_gate)
        {
            if (_trials.FirstOrDefault(t => t.State == TrialState.Waiting) is { } waiting)
                return new TrialStart(Hold(waiting with { State = TrialState.Running, Started = claim.Now }, claim));
            if (maxTrials is { } max && CountedTrials() >= max)
                return new TrialStart(null, CapReached: true);
            var configuration = StudyRules.ProposeUnlessTaken(_trials.Count, propose, candidate => _trials.Any(t =>
                t.State is TrialState.Running or TrialState.Complete or TrialState.Pruned or TrialState.Waiting
                && t.Configuration.ToJson() == candidate.ToJson()
                && (!_holders.TryGetValue(t.Number, out var holder) || holder.Owner != claim.Owner)));
            if (configuration is null)
                return new TrialStart(null, Exhausted: true);
            _trials.Add(null!);
            return new TrialStart(Hold(new TrialRecord { Number = _trials.Count - 1, Configuration = configuration, State = TrialState.Running, Started = claim.Now }, claim));
        }
    }

    /// <inheritdoc/>
    public void Heartbeat(IReadOnlyCollection<int> trialNumbers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trialNumbers);
        lock (_gate)
        {
            foreach (var number in trialNumbers.Where(n => _holders.ContainsKey(n) && _trials[n].State == TrialState.Running))
                _holders[number] = (_holders[number].Owner, now);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> FailStaleTrials(DateTimeOffset staleBefore, Func<string, bool> ownerIsGone)
    {
        ArgumentNullException.ThrowIfNull(ownerIsGone);
        lock (_gate)
        {
            var failed = new List<int>();
            foreach (var trial in _trials.Where(t => t.State == TrialState.Running).ToList())
            {
                var (owner, heartbeat) = _holders[trial.Number];
                var gone = ownerIsGone(owner);
                if (!gone && heartbeat >= staleBefore)
                    continue;
                _trials[trial.Number] = trial with
                {
                    State = TrialState.Failed,
                    Error = gone ? "The process ended while this trial was running." : StaleTrials.Message(heartbeat.ToUnixTimeMilliseconds() / 1000.0, staleBefore),
                };
                failed.Add(trial.Number);
                if (trial.Origin != TrialOrigin.Retry)
                    _trials.Add(new TrialRecord { Number = _trials.Count, Configuration = trial.Configuration, State = TrialState.Waiting, Origin = TrialOrigin.Retry, RetryOf = trial.Number, Started = staleBefore });
            }
            return failed;
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
    public bool FinishTrial(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        lock (_gate)
        {
            if (_trials[trial.Number].State != TrialState.Running)
                return false;
            // What the store keeps of a running trial (its origin, its retry link) is not the finisher's to change.
            var stored = _trials[trial.Number];
            _trials[trial.Number] = trial with { Origin = stored.Origin, RetryOf = stored.RetryOf, Configuration = stored.Configuration, Started = stored.Started };
            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private TrialRecord Hold(TrialRecord trial, TrialClaim claim)
    {
        _trials[trial.Number] = trial;
        _holders[trial.Number] = (claim.Owner, claim.Now);
        return trial;
    }

    private int CountedTrials() =>
        _trials.Count(t => t.State != TrialState.Cancelled && !_trials.Any(r => r.RetryOf == t.Number));
}

/// <summary>The rule every store applies when a study is opened again.</summary>
internal static class StudyCompatibility
{
    public static void Check(StudyDefinition stored, StudyDefinition requested, string location)
    {
        if (stored.Metric != requested.Metric || stored.Maximize != requested.Maximize)
            throw new ExperimentStorageException($"Study '{requested.Name}' in {location} optimizes {Goal(stored)}, not {Goal(requested)}. Use another study name or storage file, or the same metric.");
        if (stored.Data != requested.Data)
            throw new ExperimentStorageException($"Study '{requested.Name}' in {location} was run on other data or another evaluation ({stored.Data}; now {requested.Data}), so its trials are not comparable. Use another study name or storage file, or the data and evaluation it was created with (the same rows, folds and repeats or holdout, and seed).");
        if (stored.SearchSpace != requested.SearchSpace)
            throw new ExperimentStorageException($"Study '{requested.Name}' in {location} was created with a different search space (other trainers, task or ranges), so its trials cannot be resumed. Use another study name or storage file.\nStored:\n{stored.SearchSpace}\nRequested:\n{requested.SearchSpace}");
    }

    private static string Goal(StudyDefinition study) => $"{(study.Maximize ? "max" : "min")} {study.Metric}";
}
