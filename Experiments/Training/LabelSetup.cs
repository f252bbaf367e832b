using MlToolkit.Experiments.Candidates;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Models;

namespace MlToolkit.Experiments.Training;

/// <summary>
/// What a supervised run learns about its label before training: the column, its classes, the task (given or
/// inferred), the positive class, and how the label is encoded. Shared by single training runs and AutoML.
/// </summary>
/// <param name="LabelColumn">The label column's name in the data.</param>
/// <param name="LabelType">Its type in the data.</param>
/// <param name="Classes">Distinct label values (sorted); empty for regression.</param>
/// <param name="Task">The task.</param>
/// <param name="PositiveClass">For binary classification, the class scored as true.</param>
/// <param name="Layout">The inferred layout when the data is a delimited file.</param>
public sealed record LabelSetup(string LabelColumn, DataViewType LabelType, IReadOnlyList<string> Classes, PredictionTask Task, string? PositiveClass, DelimitedSchema? Layout)
{
    /// <summary>Finds the label and settles the task: given, or inferred from the label (text or few whole numbers: classification).</summary>
    /// <exception cref="SchemaException">The label column does not exist, or does not fit the task.</exception>
    public static LabelSetup Resolve(IDataView data, string labelColumn, PredictionTask? task, string? positiveClass)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        var layout = DelimitedDataView.LayoutOf(data);
        var column = layout is not null
            ? data.Schema[layout.GetColumn(labelColumn).Name]
            : data.Schema.GetColumnOrNull(labelColumn)
              ?? throw new SchemaException($"Label column '{labelColumn}' not found. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        var classes = LabelEncoding.Classes(data, column.Name);
        var resolved = task ?? InferTask(layout, column.Name, classes.Count);
        // R² of a constant is 0/0: every trial would fail with a NaN metric rather than say what is wrong.
        if (resolved == PredictionTask.Regression && classes.Count == 1)
            throw new SchemaException($"Label column '{column.Name}' holds the same value ({classes[0]}) in every row that has a label; a regression has nothing to learn from it.");
        var positive = resolved == PredictionTask.BinaryClassification ? positiveClass ?? classes.LastOrDefault() : null;
        return new LabelSetup(column.Name, column.Type, resolved == PredictionTask.Regression ? Array.Empty<string>() : classes, resolved, positive, layout);
    }

    /// <summary>The estimator that turns the label into ML.NET's <c>Label</c> column for the task.</summary>
    public IEstimator<ITransformer> Encoder(MLContext mlContext) =>
        LabelEncoding.Build(mlContext, Task, LabelColumn, LabelType, Classes, PositiveClass);

    /// <summary>The stratification column for splits: the label for classification, none for regression.</summary>
    public string? StratifyColumn => Task == PredictionTask.Regression ? null : LabelColumn;

    /// <summary>The default featurization of a delimited file: token ids of the text column for sequence trainers, all columns by purpose otherwise.</summary>
    /// <exception cref="ArgumentException">The data is not a delimited file, so there is no layout to featurize from.</exception>
    public IFeaturePlan DefaultFeatures(bool tokenSequences, IReadOnlyList<string>? ignoreColumns = null) => Layout is null
        ? throw new ArgumentException("Data that is not a delimited file needs a feature plan.", nameof(tokenSequences))
        : tokenSequences ? new TokenSequenceFeaturePlan(Layout, LabelColumn) : new TabularFeaturePlan(Layout, LabelColumn, ignoreColumns);

    /// <summary>
    /// The features of <paramref name="data"/>: by the inferred layout for our delimited files, else planned from the
    /// schema (<see cref="SchemaFeaturePlan"/>); <paramref name="columns"/> overrides purposes and leaves columns out.
    /// </summary>
    /// <exception cref="SchemaException">Sequence models on data that is not one of our delimited files (they need its text column's layout).</exception>
    public IFeaturePlan DefaultFeatures(IDataView data, bool tokenSequences, ColumnInformation? columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Layout is null)
        {
            return tokenSequences
                ? throw new SchemaException("Sequence models read the text column of a delimited file loaded with MlToolkit (DelimitedFile.Load); for other data, give a feature plan.")
                : new SchemaFeaturePlan(data, LabelColumn, columns);
        }
        return tokenSequences ? new TokenSequenceFeaturePlan(Layout, LabelColumn) : new TabularFeaturePlan(Layout, LabelColumn, columns);
    }

    /// <summary>
    /// What the data is: images when <paramref name="features"/> reads images (files, a tensor, IDX; not a table of pixel
    /// columns), text when the delimited layout has a free-text column other than the label and <paramref name="ignored"/>, else tabular.
    /// </summary>
    public DataModality Modality(IFeaturePlan? features, IEnumerable<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(ignored);
        if (features is { IsImage: true })
            return DataModality.Images;
        var skipped = ignored.ToHashSet(StringComparer.Ordinal);
        return Layout?.Columns.Any(c => c.Name != LabelColumn && c.Purpose == ColumnPurpose.Text && !skipped.Contains(c.Name)) == true
            ? DataModality.Text
            : DataModality.Tabular;
    }

    /// <summary>The description saved with a model trained by <paramref name="trainer"/> on <paramref name="train"/>.</summary>
    public ModelDescription Describe(string trainer, IFeaturePlan features, IDataView train)
    {
        ArgumentNullException.ThrowIfNull(features);
        return new ModelDescription(Task, LabelColumn, Classes, PositiveClass, trainer, features.DelimitedInputs, features.ImagePathColumns,
            CategoryCensus.Distinct(train, features.OneHotColumns), features.IdentifierColumns);
    }

    private static PredictionTask InferTask(DelimitedSchema? layout, string label, int classCount)
    {
        if (layout is null)
            return classCount == 2 ? PredictionTask.BinaryClassification : PredictionTask.MulticlassClassification;
        var column = layout.GetColumn(label);
        layout.Statistics.TryGetValue(column.Name, out var statistics);
        return LabelEncoding.InferTask(column, statistics, classCount);
    }
}
