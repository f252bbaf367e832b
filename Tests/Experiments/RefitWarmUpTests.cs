using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;

namespace MlToolkit.Tests.Experiments;

/// <summary>
/// The refit warm-up fits every candidate once in the background, survives a candidate that cannot fit, and stops
/// when the search ends so that the refits have the process to themselves. Coordinated by events, not by waiting.
/// </summary>
public sealed class RefitWarmUpTests
{
    private static readonly TrialCandidate[] Candidates =
        { CandidateCatalog.Get("lbfgs"), CandidateCatalog.Get("forest"), CandidateCatalog.Get("knn") };

    [Theory]
    [InlineData(true, true, 5, true)]
    [InlineData(true, true, 1, false)]
    [InlineData(false, true, 5, false)]
    [InlineData(true, false, 5, false)]
    public void Only_cross_validated_runs_with_trials_in_workers_that_refit_warm_up(bool inWorkers, bool refits, int folds, bool wanted) =>
        Assert.Equal(wanted, RefitWarmUp.Wanted(inWorkers, refits, folds));

    [Fact]
    public void Every_candidate_is_fitted_in_order_and_a_failing_one_does_not_stop_the_rest()
    {
        var fitted = new List<string>();
        using var lastFitted = new ManualResetEventSlim();
        using (RefitWarmUp.Start(Candidates, (candidate, _) =>
        {
            fitted.Add(candidate.Name);
            if (candidate.Name == "knn")
                lastFitted.Set();
            if (candidate.Name == "forest")
                throw new InvalidOperationException("too few rows");
        }))
        {
            Assert.True(lastFitted.Wait(TimeSpan.FromSeconds(60)), "the warm-up stopped before the last candidate");
        }
        Assert.Equal(new[] { "lbfgs", "forest", "knn" }, fitted);
    }

    [Fact]
    public void Finish_cancels_the_fit_in_progress_waits_for_it_and_starts_no_other()
    {
        var fitted = new List<string>();
        using var inFirstFit = new ManualResetEventSlim();
        var sawCancellation = false;
        var warmUp = RefitWarmUp.Start(Candidates, (candidate, stop) =>
        {
            fitted.Add(candidate.Name);
            inFirstFit.Set();
            sawCancellation = stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
            stop.ThrowIfCancellationRequested();
        });
        Assert.True(inFirstFit.Wait(TimeSpan.FromSeconds(60)), "the warm-up never started");
        warmUp.Finish();
        Assert.True(sawCancellation);
        Assert.Equal(new[] { "lbfgs" }, fitted);
        warmUp.Dispose();
    }
}
