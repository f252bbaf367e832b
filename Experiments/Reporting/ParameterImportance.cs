using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Reporting;

/// <summary>
/// How much of the metric's spread each hyperparameter explains on its own: the correlation ratio η² (between-group
/// variance over total variance), grouping trials by choice value or, for numbers, into up to five quantile bins. A
/// quick, model-free reading — not fANOVA: interactions are not separated.
/// </summary>
public static class ParameterImportance
{
    /// <summary>Fewest trials that make an estimate worth showing.</summary>
    public const int MinimumTrials = 5;

    /// <summary>η² per parameter set in at least <see cref="MinimumTrials"/> of <paramref name="trials"/> (complete ones), largest first.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Compute(IReadOnlyList<TrialRecord> trials, Func<TrialRecord, IReadOnlyDictionary<string, Tuning.SearchSpaces.ParameterValue>> parameters)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(parameters);
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).ToList();
        var names = complete.SelectMany(t => parameters(t).Keys).Distinct().ToList();
        var result = new List<KeyValuePair<string, double>>();
        foreach (var name in names)
        {
            var observed = complete.Where(t => parameters(t).ContainsKey(name)).Select(t => (Value: parameters(t)[name], Metric: t.Value!.Value)).ToList();
            if (observed.Count < MinimumTrials)
                continue;
            var groups = observed[0].Value.IsText
                ? observed.GroupBy(o => o.Value.Text!).Select(g => g.Select(o => o.Metric).ToList()).ToList()
                : QuantileBins(observed.Select(o => (o.Value.Number, o.Metric)).ToList());
            result.Add(new(name, EtaSquared(groups)));
        }
        return result.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
    }

    private static List<List<double>> QuantileBins(List<(double X, double Metric)> points)
    {
        var sorted = points.OrderBy(p => p.X).ToList();
        var bins = Math.Min(5, sorted.Select(p => p.X).Distinct().Count());
        return Enumerable.Range(0, bins)
            .Select(b => sorted.Skip(b * sorted.Count / bins).Take((b + 1) * sorted.Count / bins - b * sorted.Count / bins).Select(p => p.Metric).ToList())
            .Where(g => g.Count > 0).ToList();
    }

    private static double EtaSquared(List<List<double>> groups)
    {
        var all = groups.SelectMany(g => g).ToList();
        var mean = all.Average();
        var total = all.Sum(v => (v - mean) * (v - mean));
        if (total <= 0)
            return 0;
        var between = groups.Sum(g => g.Count * Math.Pow(g.Average() - mean, 2));
        return Math.Clamp(between / total, 0, 1);
    }
}
