namespace MlToolkit.Experiments.Tuning.SearchSpaces;

/// <summary>A parameter is active only when <see cref="Parent"/> holds one of <see cref="Values"/>.</summary>
/// <param name="Parent">Name of a choice parameter declared earlier in the space.</param>
/// <param name="Values">The choices of the parent under which the parameter is active.</param>
public sealed record ParameterCondition(string Parent, IReadOnlyList<string> Values)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Parent} ∈ {{{string.Join(", ", Values)}}}";
}
