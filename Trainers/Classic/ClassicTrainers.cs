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

    /// <summary>Gradient-boosted trees (LightGBM).</summary>
    public static NamedTrainer LightGbm { get; } = new("lightgbm", "gradient-boosted trees (LightGBM)", false, (ml, task, s) => task switch
    {
        PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options { NumberOfThreads = s.Threads }),
        PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options { NumberOfThreads = s.Threads }),
        PredictionTask.Regression => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { NumberOfThreads = s.Threads }),
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
