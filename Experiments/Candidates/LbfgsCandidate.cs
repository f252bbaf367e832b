using Microsoft.ML;
using Microsoft.ML.Trainers;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// Logistic regression / maximum entropy by L-BFGS (classification only). Starts from L2 = 0.1 and almost no L1,
/// not ML.NET's 1 and 1, which over-regularize wide sparse features such as text n-grams.
/// </summary>
public sealed class LbfgsCandidate : PerTaskCandidate
{
    private static readonly PredictionTask[] Classification = { PredictionTask.BinaryClassification, PredictionTask.MulticlassClassification };

    /// <inheritdoc/>
    public override string Name => "lbfgs";

    /// <inheritdoc/>
    public override string Description => "logistic regression / maximum entropy, L-BFGS (classification only)";

    /// <inheritdoc/>
    public override IReadOnlyList<PredictionTask> Tasks => Classification;

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Float("l1", 1e-5, 10, log: true, defaultValue: 1e-5)
        .Float("l2", 1e-5, 10, log: true, defaultValue: 0.1);

    /// <summary>Its defaults: the cheapest sensible baseline.</summary>
    public override IReadOnlyList<StrongStart> StrongStarts(Data.PredictionTask task, DataShape data) => new[] { StrongStart.Defaults(0.5) };

    /// <inheritdoc/>
    protected override IEstimator<ITransformer> Binary(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        { L1Regularization = (float)parameters.GetDouble("l1"), L2Regularization = (float)parameters.GetDouble("l2"), NumberOfThreads = context.Threads });

    /// <inheritdoc/>
    protected override IEstimator<ITransformer> Multiclass(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        { L1Regularization = (float)parameters.GetDouble("l1"), L2Regularization = (float)parameters.GetDouble("l2"), NumberOfThreads = context.Threads });
}
