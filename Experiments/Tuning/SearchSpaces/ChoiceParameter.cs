namespace MlToolkit.Experiments.Tuning.SearchSpaces;

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
