using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011, as Optuna runs it by default): after
/// <see cref="StartupTrials"/> random trials, the finished trials are split into the best γ(n) = min(⌈n/10⌉, 25) and the
/// rest; each parameter draws <see cref="Candidates"/> values from the density of the good ones and keeps the value
/// that maximizes good/bad density. Parameters are modelled one at a time where active, which handles conditional
/// spaces. Pruned trials count as bad; failed and cancelled ones are left out.
/// </summary>
public sealed class TpeTuner : ITuner
{
    private readonly SearchSpace _space;
    private readonly int _seed;
    private readonly List<TrialReport> _reports = new();

    /// <summary>Creates the tuner over <paramref name="space"/>.</summary>
    public TpeTuner(SearchSpace space, int seed = 0, int startupTrials = 10, int candidates = 24)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(startupTrials, 1, nameof(startupTrials));
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1, nameof(candidates));
        _space = space;
        _seed = seed;
        StartupTrials = startupTrials;
        Candidates = candidates;
    }

    /// <summary>Random trials before the model takes over. Default 10.</summary>
    public int StartupTrials { get; }

    /// <summary>Candidates drawn per parameter. Default 24.</summary>
    public int Candidates { get; }

    /// <inheritdoc/>
    public ParameterSet? Propose(int trialNumber)
    {
        var random = TrialRandom.For(_seed, trialNumber);
        var scored = _reports.Where(r => r.State is TrialState.Complete or TrialState.Pruned).ToList();
        if (scored.Count(r => r.State == TrialState.Complete) < StartupTrials)
            return _space.Sample(random);

        // Complete trials rank by loss; pruned ones rank after every complete one.
        var ranked = scored.OrderBy(r => r.State == TrialState.Complete ? 0 : 1).ThenBy(r => r.Loss ?? double.PositiveInfinity).ThenBy(r => r.TrialNumber).ToList();
        var goodCount = Math.Min((int)Math.Ceiling(0.1 * ranked.Count), 25);
        var good = ranked.Take(goodCount).Select(r => r.Configuration).ToList();
        var bad = ranked.Skip(goodCount).Select(r => r.Configuration).ToList();

        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var parameter in _space.Parameters)
        {
            if (!_space.IsActive(parameter, chosen))
                continue;
            chosen[parameter.Name] = parameter is ChoiceParameter choice
                ? SampleChoice(choice, good, bad, random)
                : SampleNumber(parameter, good, bad, random);
        }
        return _space.Configuration(chosen);
    }

    /// <inheritdoc/>
    public void Report(TrialReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _reports.Add(report);
    }

    private ParameterValue SampleNumber(Parameter parameter, List<ParameterSet> good, List<ParameterSet> bad, Random random)
    {
        var below = new ParzenEstimator(Observed(parameter, good).Select(parameter.ToUnit).ToList());
        var above = new ParzenEstimator(Observed(parameter, bad).Select(parameter.ToUnit).ToList());
        var best = double.NaN;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < Candidates; i++)
        {
            var x = below.Sample(random);
            var score = below.LogDensity(x) - above.LogDensity(x);
            if (score > bestScore)
                (best, bestScore) = (x, score);
        }
        return parameter.FromUnit(best);
    }

    private ParameterValue SampleChoice(ChoiceParameter choice, List<ParameterSet> good, List<ParameterSet> bad, Random random)
    {
        var below = new CategoricalEstimator(choice.Choices.Count, Observed(choice, good).Select(choice.IndexOf));
        var above = new CategoricalEstimator(choice.Choices.Count, Observed(choice, bad).Select(choice.IndexOf));
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < Candidates; i++)
        {
            var index = below.Sample(random);
            var score = below.LogDensity(index) - above.LogDensity(index);
            if (score > bestScore)
                (best, bestScore) = (index, score);
        }
        return ParameterValue.Of(choice.Choices[best]);
    }

    private static IEnumerable<ParameterValue> Observed(Parameter parameter, List<ParameterSet> configurations)
    {
        foreach (var configuration in configurations)
            if (configuration.TryGet(parameter.Name, out var value) && parameter.Contains(value))
                yield return value;
    }
}
