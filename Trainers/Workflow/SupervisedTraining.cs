using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Images;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Trainers.Evaluation;
using MlToolkit.Trainers.Models;

namespace MlToolkit.Trainers.Workflow;

/// <summary>
/// One supervised training run end to end: infer the task, hold out test data (stratified by class), encode the label, featurize
/// every column by its purpose, fit the trainer, and evaluate on the test data.
/// </summary>
public static class SupervisedTraining
{
    /// <summary>Runs <paramref name="request"/>; <paramref name="cancellationToken"/> stops training at the trainer's next pass over the data.</summary>
    /// <exception cref="SchemaException">The label is missing, or unfit for the task.</exception>
    /// <exception cref="DataFormatException">A value in the data does not parse.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static TrainingResult Run(MLContext mlContext, TrainingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.TestFraction, 0.0, nameof(request.TestFraction));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(request.TestFraction, 1.0, nameof(request.TestFraction));
        var trainer = TrainerRegistry.Get(request.Trainer);

        var layout = (request.Data as DelimitedDataView)?.Layout;
        var labelSchemaColumn = layout is not null
            ? request.Data.Schema[layout.GetColumn(request.LabelColumn).Name]
            : request.Data.Schema.GetColumnOrNull(request.LabelColumn)
              ?? throw new SchemaException($"Label column '{request.LabelColumn}' not found. Columns: {string.Join(", ", request.Data.Schema.Select(c => c.Name))}.");
        var labelName = labelSchemaColumn.Name;
        var classes = LabelEncoding.Classes(request.Data, labelName);
        var task = request.Task ?? InferTask(layout, labelName, classes.Count);
        if (!trainer.Supports(task))
            throw new ArgumentException($"Trainer '{trainer.Name}' does not support {task}; choose one of: {string.Join(", ", TrainerRegistry.All.Where(t => t.Supports(task)).Select(t => t.Name))}.", nameof(request));

        var features = request.Features
            ?? (layout is not null
                ? trainer.ReadsTokenSequences ? new TokenSequenceFeaturePlan(layout, labelName) : new TabularFeaturePlan(layout, labelName, request.IgnoreColumns)
                : throw new ArgumentException("Data that is not a delimited file needs a feature plan (TrainingRequest.Features).", nameof(request)));
        var positive = task == PredictionTask.BinaryClassification ? request.PositiveClass ?? classes.LastOrDefault() : null;
        var labelEstimator = LabelEncoding.Build(mlContext, task, labelName, labelSchemaColumn.Type, classes, positive);

        IDataView train = request.Data;
        IDataView test;
        if (request.TestData is { } given)
        {
            test = given;
        }
        else
        {
            var stratify = task == PredictionTask.Regression ? null : labelName;
            var split = DataSplits.TrainTest(request.Data, request.TestFraction, request.Seed, stratify);
            train = split.Train;
            test = split.Test;
        }
        foreach (var column in features.ImagePathColumns)
            ImageFiles.Check(request.Data, column);
        // Trainers make many passes; parsing text on each would dominate.
        train = new CancellingDataView(mlContext.Data.Cache(train), cancellationToken);

        var clock = Stopwatch.StartNew();
        var labelEncoder = labelEstimator.Fit(train);
        var encoded = labelEncoder.Transform(train);
        var pipeline = features.Build(mlContext, trainer.NeedsNormalizedFeatures)
            .Append(trainer.Create(mlContext, task, new TrainerSettings
            {
                Threads = request.Threads,
                Seed = request.Seed,
                Epochs = request.Epochs,
                Progress = request.Progress,
                CancellationToken = cancellationToken,
            }));
        var scorer = pipeline.Fit(encoded);
        clock.Stop();
        cancellationToken.ThrowIfCancellationRequested();

        var description = new ModelDescription(task, labelName, task == PredictionTask.Regression ? Array.Empty<string>() : classes, positive, trainer.Name,
            features.DelimitedInputs, features.ImagePathColumns, CategoryCensus.Distinct(train, features.OneHotColumns));
        var model = new TrainedModel(description, request.Data.Schema, labelEncoder, scorer);
        var report = ModelEvaluator.Evaluate(mlContext, model, test);
        var trainRows = train.GetRowCount() ?? 0;
        return new TrainingResult(model, report, trainRows, clock.Elapsed);
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
