using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Classic;

namespace MlToolkit.Experiments.Candidates;

/// <summary>LightGBM boosted trees. The space follows FLAML's: start from 4 small trees and grow only when it pays.</summary>
public sealed class LightGbmCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "lightgbm";

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Int("iterations", 4, 1000, log: true, defaultValue: 4)
        .Int("leaves", 4, 256, log: true, defaultValue: 4)
        .Int("min_leaf_examples", 2, 128, log: true, defaultValue: 20)
        .Float("learning_rate", 1.0 / 1024, 1.0, log: true, defaultValue: 0.1)
        .Float("feature_fraction", 0.1, 1.0, defaultValue: 1.0)
        .Float("l1", 1.0 / 1024, 1024, log: true, defaultValue: 1.0 / 1024)
        .Float("l2", 1.0 / 1024, 1024, log: true, defaultValue: 1.0);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var iterations = parameters.GetInt("iterations");
        var leaves = parameters.GetInt("leaves");
        var minLeaf = parameters.GetInt("min_leaf_examples");
        var rate = parameters.GetDouble("learning_rate");
        return task switch
        {
            PredictionTask.BinaryClassification => mlContext.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate,
                NumberOfThreads = context.Threads, Seed = context.Seed, Booster = Booster(parameters),
            }),
            PredictionTask.MulticlassClassification => mlContext.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate,
                NumberOfThreads = context.Threads, Seed = context.Seed, Booster = Booster(parameters),
                UseSoftmax = ClassicTrainers.LightGbmUsesSoftmax,
            }),
            PredictionTask.Regression => mlContext.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate,
                NumberOfThreads = context.Threads, Seed = context.Seed, Booster = Booster(parameters),
            }),
            _ => throw Unsupported(task),
        };
    }

    private static GradientBooster.Options Booster(ParameterSet parameters) => new()
    {
        FeatureFraction = parameters.GetDouble("feature_fraction"),
        L1Regularization = parameters.GetDouble("l1"),
        L2Regularization = parameters.GetDouble("l2"),
    };
}
