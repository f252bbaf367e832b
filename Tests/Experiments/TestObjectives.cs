using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;

namespace MlToolkit.Tests.Experiments;

/// <summary>Search spaces and synthetic objectives for the tuner tests (no training involved).</summary>
internal static class TestObjectives
{
    /// <summary>A conditional space: a branch choice, each branch with floats, ints, log scales and a nested choice.</summary>
    public static SearchSpace Conditional() => new SearchSpace().Branches("kind", new[]
    {
        KeyValuePair.Create("a", new SearchSpace().Float("x", -5, 5, defaultValue: -4).Int("n", 1, 1000, log: true, defaultValue: 1)),
        KeyValuePair.Create("b", new SearchSpace().Float("y", 1e-4, 1, log: true, defaultValue: 0.5).Choice("c", "p", "q", "r")
            .When("c", "q", q => q.Int("m", 0, 10, defaultValue: 0))),
    });

    /// <summary>Lower is better; minimum 0 at kind=a, x=1, n=10. Fails (throws) for x &gt; 4 to exercise failed trials.</summary>
    public static double Loss(ParameterSet p)
    {
        if (p.GetString("kind") == "a")
        {
            var x = p.GetDouble("a.x");
            if (x > 4)
                throw new InvalidOperationException("x is too large");
            return (x - 1) * (x - 1) + Math.Abs(Math.Log10(p.GetInt("a.n")) - 1);
        }
        var c = p.GetString("b.c");
        return 0.5 + Math.Pow(Math.Log10(p.GetDouble("b.y")) + 2, 2) + (c == "q" ? Math.Abs(p.GetInt("b.m") - 3) * 0.1 : c == "p" ? 0.5 : 1);
    }

    /// <summary>Branin on [-5, 10] × [0, 15]; minimum 0.397887.</summary>
    public static SearchSpace BraninSpace() => new SearchSpace().Float("x1", -5, 10, defaultValue: -5).Float("x2", 0, 15, defaultValue: 0);

    public static double Branin(ParameterSet p)
    {
        double x1 = p.GetDouble("x1"), x2 = p.GetDouble("x2");
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
    }

    /// <summary>Runs <paramref name="trials"/> sequential trials of <paramref name="loss"/>; a throwing objective reports a failed trial.</summary>
    public static List<(ParameterSet Configuration, double? Loss)> Run(ITuner tuner, Func<ParameterSet, double> loss, int trials, int firstNumber = 0)
    {
        var history = new List<(ParameterSet, double?)>();
        for (var n = firstNumber; n < firstNumber + trials; n++)
        {
            var proposal = tuner.Propose(n);
            if (proposal is null)
                break;
            double? value;
            try
            {
                value = loss(proposal);
            }
            catch (InvalidOperationException)
            {
                value = null;
            }
            tuner.Report(new TrialReport(n, proposal, value is null ? TrialState.Failed : TrialState.Complete, value, TimeSpan.FromMilliseconds(10 + n)));
            history.Add((proposal, value));
        }
        return history;
    }
}
