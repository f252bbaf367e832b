using System.Globalization;

namespace MlToolkit.Experiments.Tuning.SearchSpaces;

/// <summary>One hyperparameter value: a number (float and integer parameters) or a text (choices).</summary>
public readonly record struct ParameterValue
{
    private ParameterValue(double number, string? text)
    {
        Number = number;
        Text = text;
    }

    /// <summary>The number; <see cref="double.NaN"/> for a text value.</summary>
    public double Number { get; }

    /// <summary>The text of a choice; null for a number.</summary>
    public string? Text { get; }

    /// <summary>True for a choice.</summary>
    public bool IsText => Text is not null;

    /// <summary>A numeric value.</summary>
    public static ParameterValue Of(double number) => new(number, null);

    /// <summary>A choice.</summary>
    public static ParameterValue Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ParameterValue(double.NaN, text);
    }

    /// <summary>A numeric value.</summary>
    public static implicit operator ParameterValue(double number) => Of(number);

    /// <summary>A choice.</summary>
    public static implicit operator ParameterValue(string text) => Of(text);

    /// <summary>Invariant-culture text: the choice, or the number round-trippable.</summary>
    public override string ToString() => Text ?? Number.ToString("R", CultureInfo.InvariantCulture);
}
