namespace MlToolkit.Experiments.Ensembles;

/// <summary>The ensemble an AutoML run selected and saved as its model.</summary>
/// <param name="Weights">Weight per trial number (summing to 1), in the order the members were picked.</param>
/// <param name="Value">The blend's metric on the out-of-fold predictions it was selected on.</param>
/// <param name="BestSingleValue">The best single trial's metric on the same predictions.</param>
/// <param name="JudgedOn">
/// The score the blend was grown and kept on when that is not the metric (the Brier score for accuracy-like metrics),
/// so that a blend kept with a lower accuracy than the best single trial says what it beat it on; null when it is the metric.
/// </param>
public sealed record EnsembleSummary(IReadOnlyDictionary<int, double> Weights, double Value, double BestSingleValue, JudgedScore? JudgedOn = null);
