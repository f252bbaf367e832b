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
    public override bool TrainsWithTorch => true;

    /// <inheritdoc/>
    public override string Description => "k-nearest neighbours (exact, TorchSharp)";

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Int("neighbors", 1, 50, log: true, defaultValue: 5)
        .Choice("weighting", new[] { "uniform", "distance" }, "distance");

    /// <summary>
    /// k = 5 with distance weighting (the defaults), and k = 10 for larger data, where more neighbours smooth out noise.
    /// Exact neighbours cost rows × rows, so beyond <see cref="CheapUpToRows"/> training rows both rank after the trees
    /// and the kernel: on shuttle's 46,400 rows the first k = 5 start took 4.9 s and its refit reserve ended the search
    /// before LightGBM or a forest had run.
    /// </summary>
    public override IReadOnlyList<StrongStart> StrongStarts(PredictionTask task, DataShape data)
    {
        var cost = data.Rows <= CheapUpToRows ? 1 : 4.5;
        return data.Rows < 1000
            ? new[] { StrongStart.Defaults(cost) }
            : new[] { StrongStart.Defaults(cost), new StrongStart(new Dictionary<string, ParameterValue> { ["neighbors"] = 10 }, cost) };
    }

    /// <summary>Training rows up to which the exact search is about as cheap as a logistic regression.</summary>
    public const int CheapUpToRows = 10_000;

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
