using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Torch.Neighbors;

namespace MlToolkit.Experiments.Candidates;

/// <summary>k-nearest neighbours over the min-max-scaled features: k and the vote weighting.</summary>
public sealed class NearestNeighborsCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "knn";

    /// <inheritdoc/>
    public override string Description => "k-nearest neighbours (exact, TorchSharp)";

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Int("neighbors", 1, 50, log: true, defaultValue: 5)
        .Choice("weighting", new[] { "uniform", "distance" }, "distance");

    /// <summary>k = 5 with distance weighting (the defaults), and k = 10 for larger data, where more neighbours smooth out noise.</summary>
    public override IReadOnlyList<StrongStart> StrongStarts(PredictionTask task, DataShape data) => data.Rows < 1000
        ? new[] { StrongStart.Defaults(1) }
        : new[] { StrongStart.Defaults(1), new StrongStart(new Dictionary<string, ParameterValue> { ["neighbors"] = 10 }, 1) };

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        CheckCreate(mlContext, task, parameters, context);
        return new NearestNeighborsTrainer(task, new NearestNeighborsTrainer.Options
        {
            Neighbors = parameters.GetInt("neighbors"),
            Weighting = parameters.GetString("weighting") == "distance" ? NeighborWeighting.Distance : NeighborWeighting.Uniform,
            Threads = context.Threads,
            Seed = context.Seed,
            CancellationToken = context.CancellationToken,
        });
    }
}
