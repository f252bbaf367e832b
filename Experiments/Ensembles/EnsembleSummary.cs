namespace MlToolkit.Experiments.Ensembles;

/// <summary>The ensemble an AutoML run selected and saved as its model.</summary>
/// <param name="Weights">Weight per trial number (summing to 1), in the order the members were picked.</param>
/// <param name="Value">The blend's metric on the out-of-fold predictions it was selected on.</param>
/// <param name="BestSingleValue">The best single trial's metric on the same predictions.</param>
public sealed record EnsembleSummary(IReadOnlyDictionary<int, double> Weights, double Value, double BestSingleValue);
