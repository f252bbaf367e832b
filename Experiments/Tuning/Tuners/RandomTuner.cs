using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>Uniform random search (in each parameter's scale): the baseline every other tuner must beat.</summary>
public sealed class RandomTuner : ITuner
{
    private readonly SearchSpace _space;
    private readonly int _seed;

    /// <summary>Creates the tuner over <paramref name="space"/>.</summary>
    public RandomTuner(SearchSpace space, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _seed = seed;
    }

    /// <inheritdoc/>
    public ParameterSet? Propose(int trialNumber) => _space.Sample(TrialRandom.For(_seed, trialNumber));

    /// <inheritdoc/>
    public void Report(TrialReport report) => ArgumentNullException.ThrowIfNull(report);
}
