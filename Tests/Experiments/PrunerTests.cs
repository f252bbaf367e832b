using MlToolkit.Experiments.Tuning.Pruners;

namespace MlToolkit.Tests.Experiments;

public sealed class PrunerTests
{
    [Fact]
    public void Median_pruner_waits_for_startup_trials_then_prunes_above_the_median()
    {
        var history = new IntermediateValues();
        var pruner = new MedianPruner(startupTrials: 3, warmupSteps: 1);
        for (var trial = 0; trial < 2; trial++)
        {
            history.Add(trial, 2, 1.0 + trial);
            history.MarkComplete(trial);
        }
        Assert.False(pruner.ShouldPrune(9, 2, 100, history));
        history.Add(2, 2, 3.0);
        history.MarkComplete(2);
        Assert.True(pruner.ShouldPrune(9, 2, 2.5, history));
        Assert.False(pruner.ShouldPrune(9, 2, 1.5, history));
        Assert.False(pruner.ShouldPrune(9, 1, 100, history));
    }

    [Fact]
    public void Asha_promotes_the_top_third_at_each_rung_and_decides_only_at_rungs()
    {
        var pruner = new AshaPruner(minResource: 1, reductionFactor: 3);
        Assert.True(pruner.IsRung(1) && pruner.IsRung(3) && pruner.IsRung(9) && !pruner.IsRung(2) && !pruner.IsRung(4));
        var history = new IntermediateValues();
        Assert.False(pruner.ShouldPrune(0, 1, 0.5, history));
        history.Add(0, 1, 0.5);
        Assert.True(pruner.ShouldPrune(1, 1, 0.9, history));
        Assert.False(pruner.ShouldPrune(1, 2, 0.9, history));
        Assert.False(pruner.ShouldPrune(2, 1, 0.1, history));
        history.Add(1, 1, 0.9);
        history.Add(2, 1, 0.1);
        history.Add(3, 1, 0.3);
        history.Add(4, 1, 0.7);
        // Six values at rung 1: the best two go on.
        Assert.False(pruner.ShouldPrune(5, 1, 0.2, history));
        Assert.True(pruner.ShouldPrune(5, 1, 0.4, history));
        Assert.True(pruner.ShouldPrune(6, 3, double.NaN, history));
    }
}
