using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// ML.NET's tree ensembles (FastTree, FastForest): one binary trainer, one-versus-all for multiclass, one regressor,
/// all set from the same hyperparameters (trees, leaves, min_leaf_examples, feature_fraction and, for boosting,
/// learning_rate). A derived class names the two trainers and declares its space.
/// </summary>
/// <typeparam name="TBinaryOptions">The binary trainer's options.</typeparam>
/// <typeparam name="TRegressionOptions">The regressor's options.</typeparam>
/// <typeparam name="TModel">The binary trainer's model type (what one-versus-all combines).</typeparam>
public abstract class TreeEnsembleCandidate<TBinaryOptions, TRegressionOptions, TModel> : PerTaskCandidate
    where TBinaryOptions : TreeOptions, new()
    where TRegressionOptions : TreeOptions, new()
    where TModel : class
{
    /// <summary>The binary trainer for <paramref name="options"/>.</summary>
    protected abstract ITrainerEstimator<BinaryPredictionTransformer<TModel>, TModel> BinaryTrainer(MLContext mlContext, TBinaryOptions options);

    /// <summary>The regressor for <paramref name="options"/>.</summary>
    protected abstract IEstimator<ITransformer> RegressionTrainer(MLContext mlContext, TRegressionOptions options);

    /// <inheritdoc/>
    protected sealed override IEstimator<ITransformer> Binary(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        BinaryTrainer(mlContext, Apply(new TBinaryOptions(), parameters, context));

    /// <inheritdoc/>
    protected sealed override IEstimator<ITransformer> Multiclass(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        mlContext.MulticlassClassification.Trainers.OneVersusAll(BinaryTrainer(mlContext, Apply(new TBinaryOptions(), parameters, context)));

    /// <inheritdoc/>
    protected sealed override IEstimator<ITransformer> Regression(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        RegressionTrainer(mlContext, Apply(new TRegressionOptions(), parameters, context));

    private static T Apply<T>(T options, ParameterSet parameters, CandidateContext context)
        where T : TreeOptions
    {
        options.NumberOfTrees = parameters.GetInt("trees");
        options.NumberOfLeaves = parameters.GetInt("leaves");
        options.MinimumExampleCountPerLeaf = parameters.GetInt("min_leaf_examples");
        options.FeatureFraction = parameters.GetDouble("feature_fraction");
        options.NumberOfThreads = context.Threads;
        options.Seed = context.Seed;
        if (options is BoostedTreeOptions boosted)
            boosted.LearningRate = parameters.GetDouble("learning_rate");
        return options;
    }
}
