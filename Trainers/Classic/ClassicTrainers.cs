using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlToolkit.Data;

namespace MlToolkit.Trainers.Classic;

/// <summary>ML.NET's classic trainers by name: LightGbm, FastTree, FastForest, SDCA and L-BFGS.</summary>
public static class ClassicTrainers
{
    private const string Label = "Label";
    private const string Features = "Features";

    /// <summary>
    /// Whether multiclass LightGbm uses the softmax objective: never. ML.NET 5.0.1 turns softmax on by itself from
    /// 50,000 rows and then maps raw margins to probabilities with <c>exp(margin) / Σ exp</c> without subtracting the
    /// largest margin, which overflows to NaN once a margin passes ~709 (duplicated or very separable large data:
    /// shuttle written 6 times scored NaN on 343,290 of 348,000 rows). One-vs-all (<c>multiclassova</c>), which ML.NET
    /// already uses below 50,000 rows, has no such overflow (0 NaN rows, accuracy 0.9997 on the same data).
    /// </summary>
    public const bool LightGbmUsesSoftmax = false;

    /// <summary>
    /// Gradient-boosted trees (LightGBM) at LightGBM's own defaults: 31 leaves, 20 examples per leaf, learning rate 0.1.
    /// ML.NET's size heuristics (from 100,000 rows: rate 0.25, 128 leaves, and a minimum leaf size that grows with the
    /// rows) cost accuracy on large imbalanced data: shuttle written 20 times (1.16 M rows) reached 0.8857 with them,
    /// 0.9975 with these.
    /// </summary>
    public static NamedTrainer LightGbm { get; } = new("lightgbm", "gradient-boosted trees (LightGBM)", false, (ml, task, s) => task switch
    {
        PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options { NumberOfThreads = s.Threads, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 }),
        PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options { NumberOfThreads = s.Threads, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1, UseSoftmax = LightGbmUsesSoftmax }),
        PredictionTask.Regression => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { NumberOfThreads = s.Threads, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 }),
        _ => null,
    });

    /// <summary>Gradient-boosted trees (FastTree); multiclass as one-versus-all.</summary>
    public static NamedTrainer FastTree { get; } = new("fasttree", "gradient-boosted trees (FastTree; multiclass one-versus-all)", false, (ml, task, _) => task switch
    {
        PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.FastTree(Label, Features),
        PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(Label, Features)),
        PredictionTask.Regression => ml.Regression.Trainers.FastTree(Label, Features),
        _ => null,
    });

    /// <summary>Random forest (FastForest); multiclass as one-versus-all.</summary>
    public static NamedTrainer FastForest { get; } = new("fastforest", "random forest (FastForest; multiclass one-versus-all)", false, (ml, task, _) => task switch
    {
        PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.FastForest(Label, Features),
        PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastForest(Label, Features)),
        PredictionTask.Regression => ml.Regression.Trainers.FastForest(Label, Features),
        _ => null,
    });

    /// <summary>Linear models by stochastic dual coordinate ascent.</summary>
    public static NamedTrainer Sdca { get; } = new("sdca", "linear model, stochastic dual coordinate ascent", true, (ml, task, s) => task switch
    {
        PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = s.Threads }),
        PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = s.Threads }),
        PredictionTask.Regression => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { NumberOfThreads = s.Threads }),
        _ => null,
    });

    /// <summary>
    /// Logistic regression / maximum entropy by L-BFGS (classification only), with L2 = 0.1 and no L1 instead of
    /// ML.NET's 1 and 1, which over-regularize wide sparse features such as text n-grams.
    /// </summary>
    public static NamedTrainer Lbfgs { get; } = new("lbfgs", "logistic regression / maximum entropy, L-BFGS (classification only)", true, (ml, task, s) => task switch
    {
        PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = s.Threads, L1Regularization = 0, L2Regularization = 0.1f }),
        PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = s.Threads, L1Regularization = 0, L2Regularization = 0.1f }),
        _ => null,
    });

    /// <summary>Every classic trainer.</summary>
    public static IReadOnlyList<NamedTrainer> All { get; } = new[] { LightGbm, FastTree, FastForest, Sdca, Lbfgs };
}
