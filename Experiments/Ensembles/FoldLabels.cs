using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Splits;

namespace MlToolkit.Experiments.Ensembles;

/// <summary>
/// Labels as <see cref="OutOfFoldMetric"/> reads them (class index, 0/1, or value), from the label-encoded rows AutoML
/// cross-validates.
/// </summary>
internal static class FoldLabels
{
    /// <summary>The labels of the folds' validation rows, in fold order: the rows of every trial's out-of-fold predictions.</summary>
    public static float[] Validation(PredictionTask task, IReadOnlyList<DataSplit> folds) => folds.SelectMany(f => Of(task, f.Test)).ToArray();

    /// <summary>The labels of <paramref name="data"/>'s rows.</summary>
    public static IEnumerable<float> Of(PredictionTask task, IDataView data) => task switch
    {
        PredictionTask.MulticlassClassification => data.GetColumn<uint>("Label").Select(k => (float)k - 1),
        PredictionTask.BinaryClassification => data.GetColumn<bool>("Label").Select(b => b ? 1f : 0f),
        _ => data.GetColumn<float>("Label"),
    };
}
