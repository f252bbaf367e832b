using MlToolkit.Data;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// The strong starts of an experiment's trainers as configurations of its search space, cheapest first (ties in the
/// trainers' order): what AutoML evaluates before its tuner proposes anything.
/// </summary>
public static class StrongStartPortfolio
{
    /// <summary>The starts of <paramref name="candidates"/> for <paramref name="task"/> on data of <paramref name="data"/>'s shape, in the order they run.</summary>
    public static IReadOnlyList<(TrialCandidate Candidate, ParameterSet Parameters)> For(IReadOnlyList<TrialCandidate> candidates, PredictionTask task, DataShape data)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(data);
        return candidates
            .SelectMany((candidate, rank) => candidate.StrongStarts(task, data).Select((start, index) => (candidate, start, rank, index)))
            .OrderBy(s => s.start.RelativeCost).ThenBy(s => s.rank).ThenBy(s => s.index)
            .Select(s => (s.candidate, s.candidate.SearchSpace(task).Defaults(s.start.Values)))
            .DistinctBy(s => s.candidate.Name + s.Item2.ToJson())
            .ToList();
    }

    /// <summary>The experiment-space configuration (trainer choice plus the trainer's scoped values) of one start.</summary>
    internal static Dictionary<string, ParameterValue> Scoped(TrialCandidate candidate, IReadOnlyDictionary<string, ParameterValue> parameters)
    {
        var values = parameters.ToDictionary(p => $"{candidate.Name}.{p.Key}", p => p.Value, StringComparer.Ordinal);
        values[AutoMlSpace.TrainerParameter] = ParameterValue.Of(candidate.Name);
        return values;
    }
}
