using System.Globalization;

namespace MlToolkit.Experiments.Tuning.SearchSpaces;

/// <summary>
/// One dimension of a <see cref="SearchSpace"/>. Tuners work on the unit interval: every parameter maps its values to
/// [0, 1] (log-scaled where asked) and back, so that samplers and local search need not know the parameter's kind.
/// </summary>
public abstract class Parameter
{
    private protected Parameter(string name, ParameterValue defaultValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Default = defaultValue;
    }

    /// <summary>Unique name within its space.</summary>
    public string Name { get; }

    /// <summary>The value to start from: the cheap, sensible setting a cost-frugal search begins with.</summary>
    public ParameterValue Default { get; }

    /// <summary>Only active when the named choice parameter holds one of these values; null = always active.</summary>
    public ParameterCondition? Condition { get; internal set; }

    /// <summary>The value at unit coordinate <paramref name="unit"/> (clamped to [0, 1]).</summary>
    public abstract ParameterValue FromUnit(double unit);

    /// <summary>The unit coordinate of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The value is not one this parameter can take.</exception>
    public abstract double ToUnit(ParameterValue value);

    /// <summary>Whether <paramref name="value"/> lies in this parameter's range or set.</summary>
    public abstract bool Contains(ParameterValue value);

    /// <summary>Evenly spaced values for grid search (all the choices, or <paramref name="points"/> numbers).</summary>
    public abstract IReadOnlyList<ParameterValue> GridValues(int points);

    /// <summary>A description such as <c>lr ∈ [1e-05, 0.1] log</c>, stable enough to tell whether a stored experiment used the same space.</summary>
    public abstract string Describe();

    private protected static double Clamp(double unit) => double.IsNaN(unit) ? 0.5 : Math.Clamp(unit, 0.0, 1.0);

    private protected static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
