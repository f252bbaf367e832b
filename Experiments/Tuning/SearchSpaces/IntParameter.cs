namespace MlToolkit.Experiments.Tuning.SearchSpaces;

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
