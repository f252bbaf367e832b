namespace MlToolkit.Experiments.Tuning.Pruners;

/// <summary>
/// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", 2020): rungs
/// sit at steps r·η^k (r = <see cref="MinResource"/>, η = <see cref="ReductionFactor"/>); a trial reaching a rung goes
/// on only if its loss ranks in the top 1/η of all losses recorded at that rung so far (the first trial at a rung
/// always goes on). Nothing waits for a rung to fill, so parallel trials never idle.
/// </summary>
public sealed class AshaPruner : IPruner
{
    /// <summary>Creates the pruner.</summary>
    public AshaPruner(int minResource = 1, int reductionFactor = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minResource, 1, nameof(minResource));
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2, nameof(reductionFactor));
        MinResource = minResource;
        ReductionFactor = reductionFactor;
    }

    /// <summary>Step of the first rung. Default 1.</summary>
    public int MinResource { get; }

    /// <summary>η: the share promoted from each rung is 1/η. Default 3.</summary>
    public int ReductionFactor { get; }

    /// <summary>Whether <paramref name="step"/> is a rung.</summary>
    public bool IsRung(int step)
    {
        for (long rung = MinResource; rung <= step; rung *= ReductionFactor)
            if (rung == step)
                return true;
        return false;
    }

    /// <inheritdoc/>
    public bool ShouldPrune(int trialNumber, int step, double loss, IntermediateValues history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (double.IsNaN(loss))
            return true;
        if (!IsRung(step))
            return false;
        var others = history.AtStep(step, trialNumber, completeOnly: false);
        var all = others.Append(loss).OrderBy(v => v).ToList();
        var promoted = Math.Max(1, all.Count / ReductionFactor);
        var rank = others.Count(v => v < loss);
        return rank >= promoted;
    }
}
