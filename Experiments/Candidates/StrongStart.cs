using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>The size and kind of the data a trainer fits on: what strong starts and thread choices depend on.</summary>
/// <param name="Rows">Training rows.</param>
/// <param name="Classes">Distinct classes (0 for regression).</param>
/// <param name="Modality">Tables, images or text.</param>
public sealed record DataShape(long Rows, int Classes, DataModality Modality = DataModality.Tabular);

/// <summary>
/// A known-good configuration of one trainer that AutoML evaluates before the tuner proposes anything (as FLAML's
/// zero-shot starts and AutoGluon's presets do); the tuner then starts from the best of them.
/// </summary>
/// <param name="Values">The trainer's hyperparameters that differ from its search space's defaults.</param>
/// <param name="RelativeCost">Its expected cost relative to the others (a logistic regression ≈ 1): starts run cheapest first.</param>
public sealed record StrongStart(IReadOnlyDictionary<string, ParameterValue> Values, double RelativeCost)
{
    /// <summary>The search space's defaults, at <paramref name="relativeCost"/>.</summary>
    public static StrongStart Defaults(double relativeCost) => new(new Dictionary<string, ParameterValue>(), relativeCost);
}
