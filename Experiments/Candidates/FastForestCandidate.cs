using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>FastForest random forests; multiclass as one-versus-all. AutoML starts from 10 trees; a single run fits ML.NET's defaults.</summary>
public sealed class FastForestCandidate : TreeEnsembleCandidate<FastForestBinaryTrainer.Options, FastForestRegressionTrainer.Options, FastForestBinaryModelParameters>
{
    /// <inheritdoc/>
    public override string Name => "fastforest";

    /// <inheritdoc/>
    public override string Description => "random forest (FastForest; multiclass one-versus-all)";

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(Data.PredictionTask task) => new SearchSpace()
        .Int("trees", 4, 300, log: true, defaultValue: 10)
        .Int("leaves", 4, 256, log: true, defaultValue: 16)
        .Int("min_leaf_examples", 1, 64, log: true, defaultValue: 2)
        .Float("feature_fraction", 0.1, 1.0, defaultValue: 0.7);

    /// <inheritdoc/>
    public override ParameterSet Defaults(Data.PredictionTask task) =>
        SearchSpace(task).Defaults(new Dictionary<string, ParameterValue> { ["trees"] = 100, ["leaves"] = 20, ["min_leaf_examples"] = 10 });

    /// <summary>A forest closer to scikit-learn's default one: 100 deep trees, few examples per leaf, half the features per split.</summary>
    public override IReadOnlyList<StrongStart> StrongStarts(Data.PredictionTask task, DataShape data) => new[]
    {
        new StrongStart(new Dictionary<string, ParameterValue> { ["trees"] = 100, ["leaves"] = 128, ["min_leaf_examples"] = 1, ["feature_fraction"] = 0.5 }, 5),
    };

    /// <inheritdoc/>
    protected override ITrainerEstimator<BinaryPredictionTransformer<FastForestBinaryModelParameters>, FastForestBinaryModelParameters> BinaryTrainer(MLContext mlContext, FastForestBinaryTrainer.Options options) =>
        mlContext.BinaryClassification.Trainers.FastForest(options);

    /// <inheritdoc/>
    protected override IEstimator<ITransformer> RegressionTrainer(MLContext mlContext, FastForestRegressionTrainer.Options options) =>
        mlContext.Regression.Trainers.FastForest(options);
}
