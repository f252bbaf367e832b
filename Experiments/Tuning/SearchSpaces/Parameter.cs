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

/// <summary>A parameter is active only when <see cref="Parent"/> holds one of <see cref="Values"/>.</summary>
/// <param name="Parent">Name of a choice parameter declared earlier in the space.</param>
/// <param name="Values">The choices of the parent under which the parameter is active.</param>
public sealed record ParameterCondition(string Parent, IReadOnlyList<string> Values)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Parent} ∈ {{{string.Join(", ", Values)}}}";
}

/// <summary>A real number in [<see cref="Low"/>, <see cref="High"/>], uniform or log-uniform.</summary>
public sealed class FloatParameter : Parameter
{
    /// <summary>Creates the parameter; a log scale needs a positive lower bound.</summary>
    public FloatParameter(string name, double low, double high, bool log = false, double? defaultValue = null)
        : base(name, ParameterValue.Of(defaultValue ?? (log ? Math.Sqrt(low * high) : (low + high) / 2)))
    {
        CheckBounds(name, low, high, log);
        Low = low;
        High = high;
        Log = log;
        if (!Contains(Default))
            throw new ArgumentOutOfRangeException(nameof(defaultValue), defaultValue, $"The default of '{name}' must lie in [{Invariant(low)}, {Invariant(high)}].");
    }

    /// <summary>Lower bound (inclusive).</summary>
    public double Low { get; }

    /// <summary>Upper bound (inclusive).</summary>
    public double High { get; }

    /// <summary>Sampled uniformly in the logarithm.</summary>
    public bool Log { get; }

    /// <inheritdoc/>
    public override ParameterValue FromUnit(double unit) => ParameterValue.Of(Math.Clamp(Scale(Clamp(unit), Low, High, Log), Low, High));

    /// <inheritdoc/>
    public override double ToUnit(ParameterValue value) => Unscale(CheckNumber(this, value), Low, High, Log);

    /// <inheritdoc/>
    public override bool Contains(ParameterValue value) => !value.IsText && value.Number >= Low && value.Number <= High;

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterValue> GridValues(int points) =>
        Enumerable.Range(0, Math.Max(points, 1)).Select(i => FromUnit(points <= 1 ? 0.5 : i / (double)(points - 1))).ToList();

    /// <inheritdoc/>
    public override string Describe() => $"{Name} ∈ [{Invariant(Low)}, {Invariant(High)}]{(Log ? " log" : "")}";

    internal static void CheckBounds(string name, double low, double high, bool log)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low >= high)
            throw new ArgumentOutOfRangeException(nameof(high), high, $"'{name}' needs finite bounds with low < high (low {Invariant(low)}).");
        if (log && low <= 0)
            throw new ArgumentOutOfRangeException(nameof(low), low, $"'{name}' is log-scaled, so its lower bound must be > 0.");
    }

    internal static double Scale(double unit, double low, double high, bool log) =>
        log ? Math.Exp(Math.Log(low) + unit * (Math.Log(high) - Math.Log(low))) : low + unit * (high - low);

    internal static double Unscale(double value, double low, double high, bool log) =>
        Math.Clamp(log ? (Math.Log(value) - Math.Log(low)) / (Math.Log(high) - Math.Log(low)) : (value - low) / (high - low), 0.0, 1.0);

    internal static double CheckNumber(Parameter parameter, ParameterValue value)
    {
        if (!parameter.Contains(value))
            throw new ArgumentException($"{value} is outside {parameter.Describe()}.", nameof(value));
        return value.Number;
    }
}

/// <summary>A whole number in [<see cref="Low"/>, <see cref="High"/>], uniform or log-uniform.</summary>
public sealed class IntParameter : Parameter
{
    /// <summary>Creates the parameter; a log scale needs a positive lower bound.</summary>
    public IntParameter(string name, int low, int high, bool log = false, int? defaultValue = null)
        : base(name, ParameterValue.Of(defaultValue ?? (log ? Math.Round(Math.Sqrt((double)low * high)) : Math.Round((low + (double)high) / 2))))
    {
        FloatParameter.CheckBounds(name, low, high, log);
        Low = low;
        High = high;
        Log = log;
        if (!Contains(Default))
            throw new ArgumentOutOfRangeException(nameof(defaultValue), defaultValue, $"The default of '{name}' must lie in [{low}, {high}].");
    }

    /// <summary>Lower bound (inclusive).</summary>
    public int Low { get; }

    /// <summary>Upper bound (inclusive).</summary>
    public int High { get; }

    /// <summary>Sampled uniformly in the logarithm.</summary>
    public bool Log { get; }

    // Stretching the range by half a step on each side gives the end values as much unit mass as the inner ones.
    private double LowEdge => Log ? Math.Max(Low - 0.5, Low * 0.5) : Low - 0.5;

    private double HighEdge => High + 0.5;

    /// <inheritdoc/>
    public override ParameterValue FromUnit(double unit) =>
        ParameterValue.Of(Math.Clamp(Math.Round(FloatParameter.Scale(Clamp(unit), LowEdge, HighEdge, Log)), Low, High));

    /// <inheritdoc/>
    public override double ToUnit(ParameterValue value) => FloatParameter.Unscale(FloatParameter.CheckNumber(this, value), LowEdge, HighEdge, Log);

    /// <inheritdoc/>
    public override bool Contains(ParameterValue value) => !value.IsText && value.Number >= Low && value.Number <= High && value.Number == Math.Floor(value.Number);

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterValue> GridValues(int points)
    {
        if (High - Low + 1 <= points)
            return Enumerable.Range(Low, High - Low + 1).Select(v => ParameterValue.Of(v)).ToList();
        return Enumerable.Range(0, Math.Max(points, 1))
            .Select(i => ParameterValue.Of(Math.Round(FloatParameter.Scale(points <= 1 ? 0.5 : i / (double)(points - 1), Low, High, Log))))
            .Distinct().ToList();
    }

    /// <inheritdoc/>
    public override string Describe() => $"{Name} ∈ {{{Low}..{High}}}{(Log ? " log" : "")}";
}

/// <summary>One of a fixed list of texts (categories, or numbers picked from a short list such as batch sizes).</summary>
public sealed class ChoiceParameter : Parameter
{
    /// <summary>Creates the parameter; the first choice is the default unless one is given.</summary>
    public ChoiceParameter(string name, IReadOnlyList<string> choices, string? defaultValue = null)
        : base(name, ParameterValue.Of(defaultValue ?? FirstOf(name, choices)))
    {
        if (choices.Distinct(StringComparer.Ordinal).Count() != choices.Count)
            throw new ArgumentException($"The choices of '{name}' repeat a value: {string.Join(", ", choices)}.", nameof(choices));
        Choices = choices.ToArray();
        if (!Contains(Default))
            throw new ArgumentOutOfRangeException(nameof(defaultValue), defaultValue, $"The default of '{name}' must be one of {string.Join(", ", choices)}.");
    }

    /// <summary>The values, in declared order.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>Index of <paramref name="value"/> in <see cref="Choices"/>.</summary>
    public int IndexOf(ParameterValue value)
    {
        var index = value.IsText ? Array.IndexOf((string[])Choices, value.Text) : -1;
        return index >= 0 ? index : throw new ArgumentException($"{value} is not one of {Describe()}.", nameof(value));
    }

    /// <inheritdoc/>
    public override ParameterValue FromUnit(double unit) => ParameterValue.Of(Choices[Math.Min((int)(Clamp(unit) * Choices.Count), Choices.Count - 1)]);

    /// <inheritdoc/>
    public override double ToUnit(ParameterValue value) => (IndexOf(value) + 0.5) / Choices.Count;

    /// <inheritdoc/>
    public override bool Contains(ParameterValue value) => value.IsText && Choices.Contains(value.Text);

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterValue> GridValues(int points) => Choices.Select(ParameterValue.Of).ToList();

    /// <inheritdoc/>
    public override string Describe() => $"{Name} ∈ {{{string.Join(", ", Choices)}}}";

    private static string FirstOf(string name, IReadOnlyList<string> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return choices.Count > 0 ? choices[0] : throw new ArgumentException($"'{name}' needs at least one choice.", nameof(choices));
    }
}
