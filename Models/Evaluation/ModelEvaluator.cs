using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Models;

namespace MlToolkit.Models.Evaluation;

/// <summary>Evaluates a <see cref="TrainedModel"/> on labelled data with ML.NET's evaluators.</summary>
public static class ModelEvaluator
{
    /// <summary>Scores <paramref name="data"/> and computes the task's metrics; rows whose label is missing are left out and counted.</summary>
    /// <exception cref="SchemaException">The data lacks the label or an input column, or has label classes the model never saw.</exception>
    public static EvaluationReport Evaluate(MLContext mlContext, TrainedModel model, IDataView data)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var description = model.Description;
        CheckInputs(model, data);
        foreach (var column in description.ImagePathColumns ?? Array.Empty<string>())
            Pipelines.Images.ImageFiles.Check(data, column);
        if (description.Task != PredictionTask.Regression && !model.IsPipeline)
        {
            var unseen = LabelEncoding.Classes(data, description.LabelColumn).Except(description.Classes).ToList();
            if (unseen.Count > 0)
                throw new SchemaException($"Label column '{description.LabelColumn}' has values the model was not trained on: {string.Join(", ", unseen.Take(10))}. Known classes: {string.Join(", ", description.Classes)}.");
        }
        var withoutLabel = 0;
        if (!model.IsPipeline)
            (data, withoutLabel) = MlToolkit.Data.Splits.LabelledRows.Of(data, description.LabelColumn);
        var scored = model.Score(model.LabelEncoder.Transform(data));
        if (scored.Schema.GetColumnOrNull("Label") is null)
            throw new SchemaException($"Neither the data nor the model gives a 'Label' column to evaluate against; the model's label is '{description.LabelColumn}' (a pipeline file is evaluated on the Label column it makes, or on one in the data).");
        var rows = MlToolkit.Data.IO.RowCounter.Count(scored);
        if (rows == 0)
            throw new SchemaException("The evaluation data has no rows.");
        var unseenCategories = description.KnownCategories is { Count: > 0 } known ? Pipelines.Featurization.CategoryCensus.CountUnseen(data, known) : null;
        return new EvaluationReport(description.Task, rows, Metrics(mlContext, description.Task, scored), unseenCategories) { RowsWithoutLabel = withoutLabel };
    }

    private static void CheckInputs(TrainedModel model, IDataView data)
    {
        var needed = model.InputSchema.Select(c => c.Name);
        if (!model.IsPipeline)
            needed = needed.Append(model.Description.LabelColumn);
        foreach (var name in needed.Distinct())
        {
            if (data.Schema.GetColumnOrNull(name) is null)
                throw new SchemaException($"Column '{name}' the model needs is not in the data. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        }
    }

    /// <summary>
    /// The task's metrics of already scored data (ML.NET's standard score columns and the <c>Label</c> column), in this
    /// order: multiclass accuracy, macro_accuracy, log_loss, log_loss_reduction; binary accuracy, auc, f1, precision,
    /// recall (and log_loss when calibrated); regression r_squared, rmse, mae, mse. Binary rows of one class only get
    /// an AUC of NaN (undefined) and the other metrics (<see cref="SingleClassBinaryMetrics"/>).
    /// </summary>
    public static List<KeyValuePair<string, double>> Metrics(MLContext ml, PredictionTask task, IDataView scored)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(scored);
        switch (task)
        {
            case PredictionTask.MulticlassClassification:
            {
                var m = ml.MulticlassClassification.Evaluate(scored);
                return new()
                {
                    new("accuracy", m.MicroAccuracy),
                    new("macro_accuracy", m.MacroAccuracy),
                    new("log_loss", m.LogLoss),
                    new("log_loss_reduction", m.LogLossReduction),
                };
            }
            case PredictionTask.BinaryClassification:
            {
                if (SingleClassBinaryMetrics.Applies(scored))
                    return SingleClassBinaryMetrics.Compute(scored, calibrated: scored.Schema.GetColumnOrNull("Probability") is not null);
                if (scored.Schema.GetColumnOrNull("Probability") is null)
                {
                    var n = ml.BinaryClassification.EvaluateNonCalibrated(scored);
                    return new() { new("accuracy", n.Accuracy), new("auc", n.AreaUnderRocCurve), new("f1", n.F1Score), new("precision", n.PositivePrecision), new("recall", n.PositiveRecall) };
                }
                var m = ml.BinaryClassification.Evaluate(scored);
                return new()
                {
                    new("accuracy", m.Accuracy),
                    new("auc", m.AreaUnderRocCurve),
                    new("f1", m.F1Score),
                    new("precision", m.PositivePrecision),
                    new("recall", m.PositiveRecall),
                    new("log_loss", m.LogLoss),
                };
            }
            case PredictionTask.Regression:
            {
                var m = ml.Regression.Evaluate(scored);
                return new()
                {
                    new("r_squared", m.RSquared),
                    new("rmse", m.RootMeanSquaredError),
                    new("mae", m.MeanAbsoluteError),
                    new("mse", m.MeanSquaredError),
                };
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        }
    }
}
