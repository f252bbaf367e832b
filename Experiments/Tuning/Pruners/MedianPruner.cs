namespace MlToolkit.Experiments.Tuning.Pruners;

/// <summary>
/// Prunes a trial whose loss at a step is worse than the median of what complete trials reported at the same step
/// (Optuna's MedianPruner), once <see cref="StartupTrials"/> trials have completed and after <see cref="WarmupSteps"/>.
/// </summary>
public sealed class MedianPruner : IPruner
{
    /// <summary>Creates the pruner.</summary>
    public MedianPruner(int startupTrials = 5, int warmupSteps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startupTrials, nameof(startupTrials));
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps, nameof(warmupSteps));
        StartupTrials = startupTrials;
        WarmupSteps = warmupSteps;
    }

    /// <summary>Complete trials needed before any pruning. Default 5.</summary>
    public int StartupTrials { get; }

    /// <summary>Steps every trial may run before it can be pruned. Default 1.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc/>
    public bool ShouldPrune(int trialNumber, int step, double loss, IntermediateValues history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (step <= WarmupSteps || history.CompleteCount < Math.Max(StartupTrials, 1))
            return false;
        var others = history.AtStep(step, trialNumber, completeOnly: true).OrderBy(v => v).ToList();
        if (others.Count == 0)
            return false;
        var median = others.Count % 2 == 1 ? others[others.Count / 2] : (others[others.Count / 2 - 1] + others[others.Count / 2]) / 2;
        return loss > median || double.IsNaN(loss);
    }
}
