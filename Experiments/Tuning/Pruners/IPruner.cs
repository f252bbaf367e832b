namespace MlToolkit.Experiments.Tuning.Pruners;

/// <summary>
/// Decides whether a running trial should stop early, from its intermediate values (losses to minimize, one per step,
/// e.g. per epoch) and those of the other trials. Implementations must be thread-safe: parallel trials ask at once.
/// </summary>
public interface IPruner
{
    /// <summary>True when the trial that just reported <paramref name="loss"/> at <paramref name="step"/> (1-based) should stop.</summary>
    bool ShouldPrune(int trialNumber, int step, double loss, IntermediateValues history);
}

/// <summary>Never prunes.</summary>
public sealed class NoPruner : IPruner
{
    /// <inheritdoc/>
    public bool ShouldPrune(int trialNumber, int step, double loss, IntermediateValues history) => false;
}

/// <summary>The intermediate values of every trial of an experiment so far, keyed by trial and step; thread-safe.</summary>
public sealed class IntermediateValues
{
    private readonly object _gate = new();
    private readonly Dictionary<int, SortedDictionary<int, double>> _byTrial = new();
    private readonly HashSet<int> _complete = new();

    /// <summary>Records <paramref name="loss"/> of <paramref name="trialNumber"/> at <paramref name="step"/>.</summary>
    public void Add(int trialNumber, int step, double loss)
    {
        lock (_gate)
        {
            if (!_byTrial.TryGetValue(trialNumber, out var steps))
                _byTrial[trialNumber] = steps = new SortedDictionary<int, double>();
            steps[step] = loss;
        }
    }

    /// <summary>Marks a trial as having run to its end (complete), which makes it count for the median pruner.</summary>
    public void MarkComplete(int trialNumber)
    {
        lock (_gate)
            _complete.Add(trialNumber);
    }

    /// <summary>The values of one trial, by step.</summary>
    public IReadOnlyDictionary<int, double> Of(int trialNumber)
    {
        lock (_gate)
            return _byTrial.TryGetValue(trialNumber, out var steps) ? new SortedDictionary<int, double>(steps) : new SortedDictionary<int, double>();
    }

    /// <summary>Values other trials reported at <paramref name="step"/>; with <paramref name="completeOnly"/>, only trials that ran to the end.</summary>
    public IReadOnlyList<double> AtStep(int step, int exceptTrial, bool completeOnly)
    {
        lock (_gate)
            return _byTrial.Where(t => t.Key != exceptTrial && (!completeOnly || _complete.Contains(t.Key)) && t.Value.ContainsKey(step))
                .Select(t => t.Value[step]).ToList();
    }

    /// <summary>Trials that ran to the end.</summary>
    public int CompleteCount
    {
        get
        {
            lock (_gate)
                return _complete.Count;
        }
    }
}
