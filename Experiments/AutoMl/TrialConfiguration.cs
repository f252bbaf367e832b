using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>Reads an AutoML trial's configuration (it trains nothing): which trainer it names, and that trainer's own hyperparameters.</summary>
public static class TrialConfiguration
{
    /// <summary>The trainer of <paramref name="trial"/> (its <c>trainer</c> choice), or "" for a space without one.</summary>
    public static string Of(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.Configuration.Contains(AutoMlSpace.TrainerParameter) ? trial.Configuration.GetString(AutoMlSpace.TrainerParameter) : "";
    }

    /// <summary>
    /// How the saved model fits <paramref name="trial"/>'s configuration (<see cref="TrialCandidate.FinalFit"/>):
    /// unchanged for a space without a registered trainer choice.
    /// </summary>
    public static FinalFit FinalFit(TrialRecord trial)
    {
        var parameters = Hyperparameters(trial);
        return CandidateCatalog.Find(Of(trial)) is { } candidate ? candidate.FinalFit(parameters) : Candidates.FinalFit.Unchanged(parameters);
    }

    /// <summary>The trainer's hyperparameters without the <c>trainer.</c> prefix; the whole configuration for a space without a trainer choice.</summary>
    public static ParameterSet Hyperparameters(TrialRecord trial)
    {
        var trainer = Of(trial);
        return trainer.Length > 0 ? trial.Configuration.Scope(trainer) : trial.Configuration;
    }
}
