using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>FastTree boosted trees; multiclass as one-versus-all. AutoML starts from 10 small trees; a single run fits ML.NET's defaults.</summary>
public sealed class FastTreeCandidate : TreeEnsembleCandidate<FastTreeBinaryTrainer.Options, FastTreeRegressionTrainer.Options, CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>
{
    /// <inheritdoc/>
    public override string Name => "fasttree";

    /// <inheritdoc/>
    public override string Description => "gradient-boosted trees (FastTree; multiclass one-versus-all)";

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(Data.PredictionTask task) => new SearchSpace()
        .Int("trees", 4, 500, log: true, defaultValue: 10)
        .Int("leaves", 4, 128, log: true, defaultValue: 4)
        .Int("min_leaf_examples", 2, 64, log: true, defaultValue: 10)
        .Float("learning_rate", 1e-3, 1.0, log: true, defaultValue: 0.2)
        .Float("feature_fraction", 0.3, 1.0, defaultValue: 1.0);

    /// <inheritdoc/>
    public override ParameterSet Defaults(Data.PredictionTask task) =>
        SearchSpace(task).Defaults(new Dictionary<string, ParameterValue> { ["trees"] = 100, ["leaves"] = 20 });

    /// <inheritdoc/>
    protected override ITrainerEstimator<BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>, CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> BinaryTrainer(MLContext mlContext, FastTreeBinaryTrainer.Options options) =>
        mlContext.BinaryClassification.Trainers.FastTree(options);

    /// <inheritdoc/>
    protected override IEstimator<ITransformer> RegressionTrainer(MLContext mlContext, FastTreeRegressionTrainer.Options options) =>
        mlContext.Regression.Trainers.FastTree(options);
}
