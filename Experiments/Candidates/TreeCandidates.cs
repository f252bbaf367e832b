using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>FastTree boosted trees; multiclass as one-versus-all. Starts from 10 small trees.</summary>
public sealed class FastTreeCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "fasttree";

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Int("trees", 4, 500, log: true, defaultValue: 10)
        .Int("leaves", 4, 128, log: true, defaultValue: 4)
        .Int("min_leaf_examples", 2, 64, log: true, defaultValue: 10)
        .Float("learning_rate", 1e-3, 1.0, log: true, defaultValue: 0.2)
        .Float("feature_fraction", 0.3, 1.0, defaultValue: 1.0);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        (int Trees, int Leaves, int MinLeaf, double Rate, double Fraction) p = (parameters.GetInt("trees"), parameters.GetInt("leaves"),
            parameters.GetInt("min_leaf_examples"), parameters.GetDouble("learning_rate"), parameters.GetDouble("feature_fraction"));
        FastTreeBinaryTrainer.Options Binary() => new()
        {
            NumberOfTrees = p.Trees, NumberOfLeaves = p.Leaves, MinimumExampleCountPerLeaf = p.MinLeaf, LearningRate = p.Rate,
            FeatureFraction = p.Fraction, NumberOfThreads = context.Threads, Seed = context.Seed,
        };
        return task switch
        {
            PredictionTask.BinaryClassification => mlContext.BinaryClassification.Trainers.FastTree(Binary()),
            PredictionTask.MulticlassClassification => mlContext.MulticlassClassification.Trainers.OneVersusAll(mlContext.BinaryClassification.Trainers.FastTree(Binary())),
            PredictionTask.Regression => mlContext.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                NumberOfTrees = p.Trees, NumberOfLeaves = p.Leaves, MinimumExampleCountPerLeaf = p.MinLeaf, LearningRate = p.Rate,
                FeatureFraction = p.Fraction, NumberOfThreads = context.Threads, Seed = context.Seed,
            }),
            _ => throw Unsupported(task),
        };
    }
}

/// <summary>FastForest random forests; multiclass as one-versus-all. Starts from 10 trees.</summary>
public sealed class FastForestCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "fastforest";

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Int("trees", 4, 300, log: true, defaultValue: 10)
        .Int("leaves", 4, 256, log: true, defaultValue: 16)
        .Int("min_leaf_examples", 1, 64, log: true, defaultValue: 2)
        .Float("feature_fraction", 0.1, 1.0, defaultValue: 0.7);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        (int Trees, int Leaves, int MinLeaf, double Fraction) p = (parameters.GetInt("trees"), parameters.GetInt("leaves"),
            parameters.GetInt("min_leaf_examples"), parameters.GetDouble("feature_fraction"));
        FastForestBinaryTrainer.Options Binary() => new()
        {
            NumberOfTrees = p.Trees, NumberOfLeaves = p.Leaves, MinimumExampleCountPerLeaf = p.MinLeaf, FeatureFraction = p.Fraction,
            NumberOfThreads = context.Threads, Seed = context.Seed,
        };
        return task switch
        {
            PredictionTask.BinaryClassification => mlContext.BinaryClassification.Trainers.FastForest(Binary()),
            PredictionTask.MulticlassClassification => mlContext.MulticlassClassification.Trainers.OneVersusAll(mlContext.BinaryClassification.Trainers.FastForest(Binary())),
            PredictionTask.Regression => mlContext.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                NumberOfTrees = p.Trees, NumberOfLeaves = p.Leaves, MinimumExampleCountPerLeaf = p.MinLeaf, FeatureFraction = p.Fraction,
                NumberOfThreads = context.Threads, Seed = context.Seed,
            }),
            _ => throw Unsupported(task),
        };
    }
}
