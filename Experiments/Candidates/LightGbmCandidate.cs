using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// LightGBM boosted trees. AutoML starts as FLAML does, from 4 small trees, and grows only when it pays; a single
/// run fits LightGBM's own defaults (100 trees of 31 leaves, 20 examples per leaf, rate 0.1), not ML.NET's size
/// heuristics, which cost accuracy on large imbalanced data (shuttle ×20, 1.16 M rows: 0.8857 with them, 0.9975 without).
/// </summary>
public sealed class LightGbmCandidate : PerTaskCandidate
{
    /// <summary>
    /// Whether multiclass LightGbm uses the softmax objective: never. ML.NET 5.0.1 turns softmax on by itself from
    /// 50,000 rows and then maps raw margins to probabilities with <c>exp(margin) / Σ exp</c> without subtracting the
    /// largest margin, which overflows to NaN once a margin passes ~709 (shuttle written 6 times scored NaN on 343,290
    /// of 348,000 rows). One-vs-all, which ML.NET already uses below 50,000 rows, has no such overflow.
    /// </summary>
    public const bool UsesSoftmax = false;

    /// <summary>
    /// Below this many training rows LightGBM trains on one thread: its threads mostly wait on each other there. Four to six
    /// configurations in 5-fold CV on the first outer fold of each benchmark table, 2 cores: one thread took 1.3–1.7×
    /// less time on boston_housing, concrete, pima_diabetes, soybean, attrition, hpc_jobs, wa_churn and lending_club
    /// (323–6,308 rows per fit), the same on digits and 1.12× more on cells (1,292 rows of 56 numeric columns); two
    /// threads were 1.18× faster on shuttle (37,120 rows per fit).
    /// </summary>
    public const int SingleThreadBelowRows = 10_000;

    /// <inheritdoc/>
    public override string Name => "lightgbm";

    /// <inheritdoc/>
    public override string Description => "gradient-boosted trees (LightGBM)";

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(Data.PredictionTask task) => new SearchSpace()
        .Int("iterations", 4, 1000, log: true, defaultValue: 4)
        .Int("leaves", 4, 256, log: true, defaultValue: 4)
        .Int("min_leaf_examples", 2, 128, log: true, defaultValue: 20)
        .Float("learning_rate", 1.0 / 1024, 1.0, log: true, defaultValue: 0.1)
        .Float("feature_fraction", 0.1, 1.0, defaultValue: 1.0)
        .Float("subsample", 0.5, 1.0, defaultValue: 1.0)
        .Float("l1", 1.0 / 1024, 1024, log: true, defaultValue: 1.0 / 1024)
        .Float("l2", 1.0 / 1024, 1024, log: true, defaultValue: 1.0);

    /// <inheritdoc/>
    public override ParameterSet Defaults(Data.PredictionTask task) => SearchSpace(task).Defaults(new Dictionary<string, ParameterValue>
    {
        ["iterations"] = 100, ["leaves"] = 31, ["min_leaf_examples"] = 20, ["learning_rate"] = 0.1, ["l2"] = 0.01,
    });

    /// <summary>
    /// LightGBM's library defaults, then a slower-learning variant with more trees, column sampling and bagging (alone,
    /// on the benchmark's outer folds: concrete R² 0.9406, boston_housing 0.8636; without bagging 0.9376 and 0.8588).
    /// </summary>
    public override IReadOnlyList<StrongStart> StrongStarts(Data.PredictionTask task, DataShape data) => new[]
    {
        new StrongStart(Defaults(task).Values, 3),
        new StrongStart(new Dictionary<string, ParameterValue>
        {
            ["iterations"] = 300, ["leaves"] = 31, ["min_leaf_examples"] = 10, ["learning_rate"] = 0.05, ["feature_fraction"] = 0.7, ["subsample"] = 0.8, ["l2"] = 0.1,
        }, 8),
    };

    /// <inheritdoc/>
    protected override IEstimator<ITransformer> Binary(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        Guarded(parameters, context, minimumLeafRows => mlContext.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = parameters.GetInt("iterations"), NumberOfLeaves = parameters.GetInt("leaves"), MinimumExampleCountPerLeaf = minimumLeafRows,
            LearningRate = parameters.GetDouble("learning_rate"), NumberOfThreads = context.ThreadsOnTablesWithOneBelow(SingleThreadBelowRows), Seed = context.Seed, Booster = Booster(parameters),
        }));

    /// <inheritdoc/>
    protected override IEstimator<ITransformer> Multiclass(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        Guarded(parameters, context, minimumLeafRows => mlContext.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            NumberOfIterations = parameters.GetInt("iterations"), NumberOfLeaves = parameters.GetInt("leaves"), MinimumExampleCountPerLeaf = minimumLeafRows,
            LearningRate = parameters.GetDouble("learning_rate"), NumberOfThreads = context.ThreadsOnTablesWithOneBelow(SingleThreadBelowRows), Seed = context.Seed, Booster = Booster(parameters),
            UseSoftmax = UsesSoftmax,
        }));

    /// <inheritdoc/>
    protected override IEstimator<ITransformer> Regression(MLContext mlContext, ParameterSet parameters, CandidateContext context) =>
        Guarded(parameters, context, minimumLeafRows => mlContext.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = parameters.GetInt("iterations"), NumberOfLeaves = parameters.GetInt("leaves"), MinimumExampleCountPerLeaf = minimumLeafRows,
            LearningRate = parameters.GetDouble("learning_rate"), NumberOfThreads = context.ThreadsOnTablesWithOneBelow(SingleThreadBelowRows), Seed = context.Seed, Booster = Booster(parameters),
        }));

    /// <summary>LightGBM built with <see cref="MinimumLeafRows"/>, its failure to split reported as such (<see cref="LightGbmSingleLeafGuard"/>).</summary>
    private static IEstimator<ITransformer> Guarded(ParameterSet parameters, CandidateContext context, Func<int, IEstimator<ITransformer>> lightGbm)
    {
        var minimumLeafRows = MinimumLeafRows(parameters, context);
        return new LightGbmSingleLeafGuard(minimumLeafRows, lightGbm(minimumLeafRows));
    }

    /// <summary>
    /// The leaf minimum, at most half the training rows: below twice the minimum LightGBM cannot split at all and grows
    /// trees of one leaf, which ML.NET fails to convert ("Value cannot be null. (Parameter 'items')",
    /// dotnet/machinelearning#5022). Every LightGBM trial on an 8-row table failed that way.
    /// </summary>
    private static int MinimumLeafRows(ParameterSet parameters, CandidateContext context)
    {
        var asked = parameters.GetInt("min_leaf_examples");
        return context.Data is { Rows: > 0 } data ? (int)Math.Min(asked, Math.Max(1, data.Rows / 2)) : asked;
    }

    private static GradientBooster.Options Booster(ParameterSet parameters) => new()
    {
        FeatureFraction = parameters.GetDouble("feature_fraction"),
        // Bagging: each tree sees a fresh sample of the rows (LightGBM draws it only when the frequency is set).
        SubsampleFraction = parameters.GetDouble("subsample"),
        SubsampleFrequency = parameters.GetDouble("subsample") < 1 ? 1 : 0,
        L1Regularization = parameters.GetDouble("l1"),
        L2Regularization = parameters.GetDouble("l2"),
    };
}
