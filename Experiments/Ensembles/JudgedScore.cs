namespace MlToolkit.Experiments.Ensembles;

/// <summary>A score (lower is better) a blend was judged on, for the blend and for the best single trial.</summary>
/// <param name="Name">The score's name, e.g. <c>brier</c>.</param>
/// <param name="Value">The blend's score out of fold.</param>
/// <param name="BestSingleValue">The best single trial's score on the same rows.</param>
public sealed record JudgedScore(string Name, double Value, double BestSingleValue);
