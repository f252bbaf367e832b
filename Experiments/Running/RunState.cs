using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Running;

/// <summary>The trials of a run so far, the best one and the next trial number.</summary>
internal sealed class RunState
{
    private readonly SortedDictionary<int, TrialRecord> _trials = new();
    private readonly bool _maximize;
    private int _next;

    public RunState(IEnumerable<TrialRecord> history, bool maximize)
    {
        _maximize = maximize;
        foreach (var trial in history)
            Add(trial);
    }

    public TrialRecord? Best { get; private set; }

    public int Finished { get; private set; }

    public int NextNumber => _next;

    public IReadOnlyList<TrialRecord> Trials => _trials.Values.ToList();

    public void Reserve(int number) => _next = Math.Max(_next, number + 1);

    public void Add(TrialRecord trial)
    {
        _trials[trial.Number] = trial;
        Reserve(trial.Number);
        if (trial.State is TrialState.Complete or TrialState.Pruned or TrialState.Failed)
            Finished++;
        if (trial.State == TrialState.Complete && trial.Value is { } value && double.IsFinite(value)
            && (Best?.Value is not { } best || (_maximize ? value > best : value < best)))
            Best = trial;
    }
}
