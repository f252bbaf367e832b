using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.Ensembles;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Training;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// The model that ignores every column (<see cref="BaselineSummary"/>), scored on the folds AutoML cross-validated, and
/// the classifier that is saved when no trial beats it.
/// </summary>
internal static class ConstantBaseline
{
    /// <summary>The trainer name a saved constant model carries.</summary>
    public const string TrainerName = "prior";

    /// <summary>
    /// The constant's and <paramref name="best"/>'s metric on the out-of-fold rows, or null when the metric cannot be
    /// computed from stored predictions or the trial stored none.
    /// </summary>
    public static BaselineSummary? Compare(TrialRecord best, PredictionTask task, MetricDefinition metric, IReadOnlyList<DataSplit> folds, LabelSetup label)
    {
        if (!OutOfFoldMetric.Supports(task, metric.Name) || OutOfFoldPredictions.FromDiagnostics(best.Diagnostics) is not { } stored)
            return null;
        var labels = FoldLabels.Validation(task, folds);
        if (stored.Values.Length != labels.Length * stored.Width)
            return null;
        var outOfFold = new OutOfFoldMetric(task, metric.Name, labels);
        var constant = Predictions(task, folds, stored.Width);
        double constantLoss = outOfFold.Loss(constant, stored.Width), bestLoss = outOfFold.Loss(stored.Values.Select(v => (double)v).ToArray(), stored.Width);
        double ToMetric(double loss) => metric.Maximize ? -loss : loss;
        return new BaselineSummary(Describe(task, label, constant, stored.Width), ToMetric(constantLoss), ToMetric(bestLoss), bestLoss < constantLoss, Saved: false);
    }

    /// <summary>
    /// The constant's predictions, rows × <paramref name="width"/> in fold order: for each fold, its training rows' rate
    /// of the positive class, frequency of each class, or mean label, repeated for each of its validation rows.
    /// </summary>
    public static double[] Predictions(PredictionTask task, IReadOnlyList<DataSplit> folds, int width)
    {
        var values = new List<double>();
        foreach (var fold in folds)
        {
            var row = Frequencies(task, FoldLabels.Of(task, fold.Train), width);
            var rows = RowCounter.Count(fold.Test);
            for (var i = 0L; i < rows; i++)
                values.AddRange(row);
        }
        return values.ToArray();
    }

    /// <summary>The class frequencies of <paramref name="labels"/> (multiclass), else their mean: the positive rate or the mean value.</summary>
    private static double[] Frequencies(PredictionTask task, IEnumerable<float> labels, int width)
    {
        var sums = new double[task == PredictionTask.MulticlassClassification ? width : 1];
        var count = 0;
        foreach (var label in labels)
        {
            if (task == PredictionTask.MulticlassClassification)
                sums[(int)label]++;
            else
                sums[0] += label;
            count++;
        }
        return sums.Select(s => s / count).ToArray();
    }

    /// <summary>Whether a constant model can be saved for <paramref name="task"/>: classification, by <see cref="Model"/>.</summary>
    public static bool CanSave(PredictionTask task) => task != PredictionTask.Regression;

    /// <summary>
    /// An intercept-only logistic regression (maximum entropy for multiclass), the statistical null model: every feature
    /// slot is dropped (no slot has a value in more rows than there are rows), which leaves ML.NET one slot of zeros, and
    /// without a penalty the intercepts alone fit the training rows' class frequencies. A real ML.NET model, so it saves,
    /// loads, serves and exports to ONNX like any other; ML.NET's own prior trainer cannot score rows without a label.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="task"/> is regression (<see cref="CanSave"/>).</exception>
    public static IEstimator<ITransformer> Model(MLContext mlContext, PredictionTask task, IEstimator<ITransformer> features)
    {
        var constant = features.Append(mlContext.Transforms.FeatureSelection.SelectFeaturesBasedOnCount("Features", count: long.MaxValue));
        return task switch
        {
            PredictionTask.BinaryClassification => constant.Append(mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(
                new LbfgsLogisticRegressionBinaryTrainer.Options { L1Regularization = 0, L2Regularization = 0, NumberOfThreads = 1 })),
            PredictionTask.MulticlassClassification => constant.Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options { L1Regularization = 0, L2Regularization = 0, NumberOfThreads = 1 })),
            _ => throw new ArgumentException($"No constant model is saved for {task}.", nameof(task)),
        };
    }

    private static string Describe(PredictionTask task, LabelSetup label, double[] constant, int width)
    {
        if (task == PredictionTask.Regression)
            return "the training rows' mean label for every row";
        // The first fold's frequencies name the class the constant predicts; every fold's are within a row or so of them.
        var predicted = task == PredictionTask.BinaryClassification
            ? (constant[0] > 0.5 ? label.PositiveClass! : label.Classes.First(c => c != label.PositiveClass))
            : label.Classes[Enumerable.Range(0, width).MaxBy(c => constant[c])];
        return string.Create(CultureInfo.InvariantCulture, $"always '{predicted}' (the training rows' class frequencies)");
    }
}
