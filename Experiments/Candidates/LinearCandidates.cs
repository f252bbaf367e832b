using Microsoft.ML;
using Microsoft.ML.Trainers;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// Linear models by SDCA: the regularization strengths are tuned. SDCA runs on one thread here: its multithreaded
/// updates race, so the same seed would not give the same model.
/// </summary>
public sealed class SdcaCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "sdca";

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Float("l1", 1e-5, 10, log: true, defaultValue: 1e-5)
        .Float("l2", 1e-5, 10, log: true, defaultValue: 0.1)
        .Int("max_iterations", 5, 200, log: true, defaultValue: 20);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var l1 = (float)parameters.GetDouble("l1");
        var l2 = (float)parameters.GetDouble("l2");
        var iterations = parameters.GetInt("max_iterations");
        return task switch
        {
            PredictionTask.BinaryClassification => mlContext.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            { L1Regularization = l1, L2Regularization = l2, MaximumNumberOfIterations = iterations, NumberOfThreads = 1 }),
            PredictionTask.MulticlassClassification => mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            { L1Regularization = l1, L2Regularization = l2, MaximumNumberOfIterations = iterations, NumberOfThreads = 1 }),
            PredictionTask.Regression => mlContext.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            { L1Regularization = l1, L2Regularization = l2, MaximumNumberOfIterations = iterations, NumberOfThreads = 1 }),
            _ => throw Unsupported(task),
        };
    }
}

/// <summary>Logistic regression / maximum entropy by L-BFGS (classification only).</summary>
public sealed class LbfgsCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "lbfgs";

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => task != PredictionTask.Regression;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Float("l1", 1e-5, 10, log: true, defaultValue: 1e-5)
        .Float("l2", 1e-5, 10, log: true, defaultValue: 0.1);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var l1 = (float)parameters.GetDouble("l1");
        var l2 = (float)parameters.GetDouble("l2");
        return task switch
        {
            PredictionTask.BinaryClassification => mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            { L1Regularization = l1, L2Regularization = l2, NumberOfThreads = context.Threads }),
            PredictionTask.MulticlassClassification => mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            { L1Regularization = l1, L2Regularization = l2, NumberOfThreads = context.Threads }),
            _ => throw Unsupported(task),
        };
    }
}
