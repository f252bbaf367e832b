namespace MlToolkit.Experiments.Ensembles;

/// <summary>One trial's out-of-fold predictions, a candidate member of an ensemble.</summary>
/// <param name="TrialNumber">The trial.</param>
/// <param name="Values">Its out-of-fold values, rows × <see cref="OutOfFoldMetric"/>'s width.</param>
public sealed record EnsembleCandidate(int TrialNumber, float[] Values);

/// <summary>The selected ensemble: how often each trial was picked (its weight is that count over the total), and its loss.</summary>
/// <param name="Counts">Picks per trial number.</param>
/// <param name="Loss">The blend's out-of-fold loss.</param>
/// <param name="BestSingleLoss">The best single candidate's out-of-fold loss.</param>
public sealed record EnsembleSelectionResult(IReadOnlyDictionary<int, int> Counts, double Loss, double BestSingleLoss)
{
    /// <summary>Weights per trial number, summing to 1.</summary>
    public IReadOnlyDictionary<int, double> Weights => EnsembleSelection.Weights(Counts);
}

/// <summary>
/// Greedy forward selection with replacement (Caruana, Niculescu-Mizil, Crew and Ksikes, ICML 2004): start from the
/// best single model, then repeatedly add (again, possibly) the candidate whose inclusion in the average lowers the
/// out-of-fold loss most, keeping the best blend seen. Never worse than the best single candidate on those rows.
/// </summary>
public static class EnsembleSelection
{
    /// <summary>Selects from <paramref name="candidates"/> in <paramref name="rounds"/> rounds.</summary>
    /// <exception cref="ArgumentException">No candidates, or values that do not fit the metric's rows.</exception>
    public static EnsembleSelectionResult Select(IReadOnlyList<EnsembleCandidate> candidates, OutOfFoldMetric metric, int width, int rounds = 25) =>
        Select(candidates, metric, width, rounds, squaredErrorShortcut: true);

    /// <summary>
    /// <see cref="Select(IReadOnlyList{EnsembleCandidate}, OutOfFoldMetric, int, int)"/>, choosing each member through
    /// <see cref="SquaredErrorChoice"/> when the metric allows it and <paramref name="squaredErrorShortcut"/> is set, else by
    /// scoring every candidate blend (the tests compare both).
    /// </summary>
    internal static EnsembleSelectionResult Select(IReadOnlyList<EnsembleCandidate> candidates, OutOfFoldMetric metric, int width, int rounds, bool squaredErrorShortcut)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(metric);
        if (candidates.Count == 0)
            throw new ArgumentException("Ensemble selection needs at least one candidate.", nameof(candidates));
        var size = metric.Rows * width;
        if (candidates.FirstOrDefault(c => c.Values.Length != size) is { } misfit)
            throw new ArgumentException($"Trial {misfit.TrialNumber} has {misfit.Values.Length} out-of-fold values; {metric.Rows} rows × {width} need {size}.", nameof(candidates));

        var sum = new double[size];
        var trial = new double[size];
        var shortcut = squaredErrorShortcut && metric.SquaredErrorTargets(width) is { } targets ? new SquaredErrorChoice(candidates, targets) : null;
        int Next(int members) => shortcut?.Best(sum, members) ?? LowestLoss(candidates, metric, width, trial, sum, members);
        var counts = new Dictionary<int, int>();
        var bestSingle = metric.Loss(Blend(trial, sum, candidates[Next(0)].Values, 0), width);
        (IReadOnlyDictionary<int, int> Counts, double Loss) best = (new Dictionary<int, int>(), double.PositiveInfinity);
        for (var round = 1; round <= rounds; round++)
        {
            var choice = Next(round - 1);
            var choiceLoss = metric.Loss(Blend(trial, sum, candidates[choice].Values, round - 1), width);
            Add(sum, candidates[choice].Values);
            counts[candidates[choice].TrialNumber] = counts.GetValueOrDefault(candidates[choice].TrialNumber) + 1;
            if (choiceLoss < best.Loss)
                best = (new Dictionary<int, int>(counts), choiceLoss);
        }
        return new EnsembleSelectionResult(best.Counts, best.Loss, bestSingle);
    }

    /// <summary>The index of the candidate whose addition to the blend (<paramref name="members"/> summing to <paramref name="sum"/>) scores lowest; the first of equals.</summary>
    private static int LowestLoss(IReadOnlyList<EnsembleCandidate> candidates, OutOfFoldMetric metric, int width, double[] trial, double[] sum, int members)
    {
        var choice = 0;
        var choiceLoss = double.PositiveInfinity;
        for (var c = 0; c < candidates.Count; c++)
        {
            var loss = metric.Loss(Blend(trial, sum, candidates[c].Values, members), width);
            if (loss < choiceLoss)
                (choice, choiceLoss) = (c, loss);
        }
        return choice;
    }

    /// <summary>Each trial's share of <paramref name="counts"/>' picks, summing to 1, in the picks' order.</summary>
    public static IReadOnlyDictionary<int, double> Weights(IReadOnlyDictionary<int, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = (double)counts.Values.Sum();
        return counts.ToDictionary(p => p.Key, p => p.Value / total);
    }

    /// <summary>
    /// Bagged ensemble selection (Caruana et al., 2004, section 4.3): <paramref name="bags"/> greedy selections
    /// (<see cref="Select(IReadOnlyList{EnsembleCandidate}, OutOfFoldMetric, int, int)"/>), each from a random half of
    /// the candidates drawn with <paramref name="seed"/>, averaged with equal weight per bag. No bag can lean on one lucky model, so the blend overfits the out-of-fold rows less than a
    /// single selection does (whose loss on those rows is by construction the lowest). Returns each picked trial's
    /// weight, summing to 1.
    /// </summary>
    /// <exception cref="ArgumentException">No candidates, no bags, or values that do not fit the metric's rows.</exception>
    public static IReadOnlyDictionary<int, double> SelectBagged(IReadOnlyList<EnsembleCandidate> candidates, OutOfFoldMetric metric, int width, int rounds, int bags, int seed) =>
        SelectBagged(candidates, metric, width, rounds, bags, seed, squaredErrorShortcut: true);

    /// <summary><see cref="SelectBagged(IReadOnlyList{EnsembleCandidate}, OutOfFoldMetric, int, int, int, int)"/>, with or without <see cref="SquaredErrorChoice"/>.</summary>
    internal static IReadOnlyDictionary<int, double> SelectBagged(IReadOnlyList<EnsembleCandidate> candidates, OutOfFoldMetric metric, int width, int rounds, int bags, int seed, bool squaredErrorShortcut)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(bags, 1);
        var random = new Random(seed);
        var drawn = Math.Max(2, (candidates.Count + 1) / 2);
        var weights = new Dictionary<int, double>();
        for (var bag = 0; bag < bags; bag++)
        {
            var half = candidates.Select(c => (Draw: random.Next(), Candidate: c)).OrderBy(p => p.Draw).Take(drawn).Select(p => p.Candidate).ToList();
            foreach (var (trial, weight) in Select(half, metric, width, rounds, squaredErrorShortcut).Weights)
                weights[trial] = weights.GetValueOrDefault(trial) + weight / bags;
        }
        return weights;
    }

    /// <summary>The blend <paramref name="counts"/> describes: each candidate's values weighted by how often it was picked.</summary>
    public static double[] Average(IReadOnlyList<EnsembleCandidate> candidates, IReadOnlyDictionary<int, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return Average(candidates, counts.ToDictionary(p => p.Key, p => (double)p.Value));
    }

    /// <summary>The blend <paramref name="weights"/> describes: each candidate's values times its weight, over the weights' sum.</summary>
    public static double[] Average(IReadOnlyList<EnsembleCandidate> candidates, IReadOnlyDictionary<int, double> weights)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(weights);
        var sum = new double[candidates[0].Values.Length];
        var total = 0.0;
        foreach (var candidate in candidates)
        {
            var weight = weights.GetValueOrDefault(candidate.TrialNumber);
            for (var i = 0; i < sum.Length && weight > 0; i++)
                sum[i] += weight * candidate.Values[i];
            total += weight;
        }
        for (var i = 0; i < sum.Length; i++)
            sum[i] /= total > 0 ? total : 1;
        return sum;
    }

    /// <summary>(sum + values) / (members + 1) into <paramref name="target"/>.</summary>
    private static double[] Blend(double[] target, double[] sum, float[] values, int members)
    {
        for (var i = 0; i < target.Length; i++)
            target[i] = (sum[i] + values[i]) / (members + 1);
        return target;
    }

    private static void Add(double[] sum, float[] values)
    {
        for (var i = 0; i < sum.Length; i++)
            sum[i] += values[i];
    }
}
