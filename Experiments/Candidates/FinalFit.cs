using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// How a trial's configuration is fit for the saved model, on all rows after the search (see
/// <see cref="TrialCandidate.FinalFit"/>).
/// </summary>
/// <param name="Parameters">The hyperparameters the saved model is trained with.</param>
/// <param name="CostFactor">
/// That fit's cost relative to a fit of the trial's own configuration on the same rows (a forest of 100 trees where the
/// trial grew 25: 4), so that the time reserved for refits counts it.
/// </param>
/// <param name="Change">What differs from the trial's configuration, for the user (e.g. "trees 25 → 100"); null when nothing does.</param>
public sealed record FinalFit(ParameterSet Parameters, double CostFactor = 1, string? Change = null)
{
    /// <summary>The trial's own configuration, unchanged.</summary>
    public static FinalFit Unchanged(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new FinalFit(parameters);
    }
}
