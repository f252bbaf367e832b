namespace MlToolkit.Experiments.Tuning.SearchSpaces;

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
