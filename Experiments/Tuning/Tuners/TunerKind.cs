using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>The built-in tuners.</summary>
public enum TunerKind
{
    /// <summary>Tree-structured Parzen Estimator (<see cref="TpeTuner"/>).</summary>
    Tpe,

    /// <summary>Cost-frugal local search (<see cref="CfoTuner"/>).</summary>
    Cfo,

    /// <summary>Uniform random search (<see cref="RandomTuner"/>).</summary>
    Random,

    /// <summary>Exhaustive grid in random order (<see cref="GridTuner"/>).</summary>
    Grid,
}

/// <summary>Creates the built-in tuners by kind.</summary>
public static class Tuners
{
    /// <summary>A fresh tuner of <paramref name="kind"/> over <paramref name="space"/>.</summary>
    public static ITuner Create(TunerKind kind, SearchSpace space, int seed) => kind switch
    {
        TunerKind.Tpe => new TpeTuner(space, seed),
        TunerKind.Cfo => new CfoTuner(space, seed),
        TunerKind.Random => new RandomTuner(space, seed),
        TunerKind.Grid => new GridTuner(space, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown tuner."),
    };

    /// <summary>Parses a CLI name (<c>tpe</c>, <c>cfo</c>, <c>random</c>, <c>grid</c>).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static TunerKind Parse(string name) =>
        Enum.TryParse<TunerKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _)
            ? kind
            : throw new ArgumentException($"Unknown tuner '{name}'. Tuners: tpe, cfo, random, grid.", nameof(name));
}
