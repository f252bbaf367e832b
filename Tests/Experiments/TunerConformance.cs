using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Tests.Experiments;

/// <summary>
/// The contract every tuner honours (like Optuna's sampler test cases): proposals stay in the space and respect its
/// conditions, failed trials are survived, the same seed gives the same proposals, a tuner rebuilt from a history
/// continues exactly like the one that made it, and reports of configurations it never proposed are accepted.
/// </summary>
public abstract class TunerConformance
{
    protected abstract ITuner Create(SearchSpace space, int seed);

    [Fact]
    public void Proposals_are_valid_configurations_of_a_conditional_space()
    {
        var space = TestObjectives.Conditional();
        var history = TestObjectives.Run(Create(space, 3), TestObjectives.Loss, 60);
        Assert.True(history.Count >= 20, $"only {history.Count} proposals");
        foreach (var (configuration, _) in history)
        {
            // Configuration() rejects missing, inactive, unknown and out-of-range values with a message naming them.
            var checkedAgain = space.Configuration(configuration.Values);
            Assert.Equal(configuration, checkedAgain);
            Assert.Equal(configuration.GetString("kind") == "b" && configuration.GetString("b.c") == "q", configuration.Contains("b.m"));
        }
    }

    [Fact]
    public void Failed_trials_are_survived_and_the_search_still_improves()
    {
        var space = new SearchSpace().Float("x", -5, 5, defaultValue: 4.5);
        var history = TestObjectives.Run(Create(space, 1), p => p.GetDouble("x") > 2 ? throw new InvalidOperationException("fails above 2") : Math.Pow(p.GetDouble("x"), 2), 40);
        Assert.Contains(history, h => h.Loss is null);
        var best = history.Where(h => h.Loss is not null).Min(h => h.Loss!.Value);
        Assert.True(best < 0.25, $"best {best}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_proposals_and_another_seed_other_ones()
    {
        var space = TestObjectives.Conditional();
        var first = TestObjectives.Run(Create(space, 7), TestObjectives.Loss, 30).Select(h => h.Configuration.ToJson()).ToList();
        var again = TestObjectives.Run(Create(space, 7), TestObjectives.Loss, 30).Select(h => h.Configuration.ToJson()).ToList();
        var other = TestObjectives.Run(Create(space, 8), TestObjectives.Loss, 30).Select(h => h.Configuration.ToJson()).ToList();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_tuner_rebuilt_from_history_continues_like_the_original()
    {
        var space = TestObjectives.Conditional();
        var uninterrupted = TestObjectives.Run(Create(space, 5), TestObjectives.Loss, 30);

        var rebuilt = Create(space, 5);
        for (var n = 0; n < 15; n++)
        {
            // What the runner does on resume: replay each stored trial as proposed, then reported.
            rebuilt.Propose(n);
            var (configuration, loss) = uninterrupted[n];
            rebuilt.Report(new TrialReport(n, configuration, loss is null ? TrialState.Failed : TrialState.Complete, loss, TimeSpan.FromMilliseconds(10 + n)));
        }
        var continued = TestObjectives.Run(rebuilt, TestObjectives.Loss, 15, firstNumber: 15);
        Assert.Equal(uninterrupted.Skip(15).Select(h => h.Configuration.ToJson()), continued.Select(h => h.Configuration.ToJson()));
    }

    [Fact]
    public void Reports_of_configurations_it_did_not_propose_are_accepted()
    {
        var space = TestObjectives.Conditional();
        var tuner = Create(space, 2);
        var foreign = space.Configuration(new Dictionary<string, ParameterValue>
        {
            ["kind"] = ParameterValue.Of("a"), ["a.x"] = ParameterValue.Of(1.0), ["a.n"] = ParameterValue.Of(10),
        });
        tuner.Report(new TrialReport(0, foreign, TrialState.Complete, 0.0, TimeSpan.FromSeconds(1)));
        tuner.Report(new TrialReport(1, foreign, TrialState.Pruned, 3.0, TimeSpan.FromSeconds(1)));
        tuner.Report(new TrialReport(2, foreign, TrialState.Cancelled, null, TimeSpan.FromSeconds(1)));
        var next = tuner.Propose(3);
        Assert.NotNull(next);
        Assert.Equal(next, space.Configuration(next.Values));
    }
}

public sealed class RandomTunerConformance : TunerConformance
{
    protected override ITuner Create(SearchSpace space, int seed) => new RandomTuner(space, seed);
}

public sealed class GridTunerConformance : TunerConformance
{
    protected override ITuner Create(SearchSpace space, int seed) => new GridTuner(space, seed);
}

public sealed class TpeTunerConformance : TunerConformance
{
    protected override ITuner Create(SearchSpace space, int seed) => new TpeTuner(space, seed);
}

public sealed class CfoTunerConformance : TunerConformance
{
    protected override ITuner Create(SearchSpace space, int seed) => new CfoTuner(space, seed);
}
