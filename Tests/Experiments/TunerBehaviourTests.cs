using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Tests.Experiments;

/// <summary>What each tuner does that the others do not.</summary>
public sealed class TunerBehaviourTests
{
    [Fact]
    public void Grid_visits_every_point_once_then_reports_exhaustion()
    {
        var space = new SearchSpace().Choice("c", "x", "y").Int("n", 1, 3).When("c", "y", y => y.Float("f", 0, 1));
        var tuner = new GridTuner(space, seed: 4, pointsPerNumber: 2);
        // n takes its two ends; f (only under y) its two ends: 2 + 2 × 2 points.
        Assert.Equal(6, tuner.Count);
        var seen = TestObjectives.Run(tuner, _ => 1.0, 100).Select(h => h.Configuration.ToString()).ToList();
        Assert.Equal(6, seen.Count);
        Assert.Equal(6, seen.Distinct().Count());
        Assert.Contains("c=y, n=3, f=1", seen);
        Assert.Null(tuner.Propose(99));
    }

    [Fact]
    public void Grid_refuses_a_grid_too_large_to_finish()
    {
        var space = new SearchSpace();
        for (var i = 0; i < 8; i++)
            space.Float("p" + i, 0, 1);
        var error = Assert.Throws<ArgumentException>(() => new GridTuner(space, pointsPerNumber: 5));
        Assert.StartsWith("The grid has more than 100,000 points", error.Message);
    }

    [Fact]
    public void Cfo_starts_from_the_cheap_defaults_of_each_branch_in_declared_order()
    {
        var space = TestObjectives.Conditional();
        var tuner = new CfoTuner(space, 1);
        var first = tuner.Propose(0)!;
        tuner.Report(new TrialReport(0, first, TrialState.Complete, 5, TimeSpan.FromSeconds(1)));
        var second = tuner.Propose(1)!;
        Assert.Equal("kind=a, a.x=-4, a.n=1", first.ToString());
        Assert.Equal("kind=b, b.y=0.5, b.c=p", second.ToString());
    }

    [Fact]
    public void Cfo_does_not_spend_trials_on_configurations_it_already_tried()
    {
        // One parameter pinned at its bound and one integer: clamping and rounding make repeated points likely.
        var space = new SearchSpace().Float("l1", 1e-5, 10, log: true, defaultValue: 1e-5).Int("iterations", 5, 12, defaultValue: 5);
        var history = TestObjectives.Run(new CfoTuner(space, 4), p => Math.Pow(p.GetInt("iterations") - 9, 2) + p.GetDouble("l1"), 30);
        var configurations = history.Select(h => h.Configuration.ToString()).ToList();
        Assert.Equal(configurations.Count, configurations.Distinct().Count());
    }

    [Fact]
    public void Tpe_and_cfo_beat_random_search_on_branin_at_equal_trials()
    {
        double MeanBest(Func<int, ITuner> create) => Enumerable.Range(0, 8)
            .Average(seed => TestObjectives.Run(create(seed), TestObjectives.Branin, 50).Min(h => h.Loss!.Value));
        var space = TestObjectives.BraninSpace();
        var random = MeanBest(s => new RandomTuner(space, s));
        var tpe = MeanBest(s => new TpeTuner(space, s));
        var cfo = MeanBest(s => new CfoTuner(space, s));
        Measured.AtMost(tpe / random, 0.5, 0.464, "TPE's mean best over random's");
        Measured.AtMost(cfo / random, 0.45, 0.389, "CFO's mean best over random's");
    }

    [Fact]
    public void Tuners_are_created_and_parsed_by_name()
    {
        Assert.Equal(TunerKind.Tpe, Tuners.Parse("TPE"));
        Assert.IsType<CfoTuner>(Tuners.Create(Tuners.Parse("cfo"), TestObjectives.BraninSpace(), 1));
        var error = Assert.Throws<ArgumentException>(() => Tuners.Parse("bayes"));
        Assert.StartsWith("Unknown tuner 'bayes'. Tuners: tpe, cfo, random, grid.", error.Message);
    }
}
