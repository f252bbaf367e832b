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

        var label = LabelSetup.Resolve(request.Data, request.LabelColumn, request.Task, request.PositiveClass);
        var task = label.Task;
        if (!trainer.Supports(task))
            throw new ArgumentException($"Trainer '{trainer.Name}' does not support {task}; choose one of: {string.Join(", ", TrainerRegistry.All.Where(t => t.Supports(task)).Select(t => t.Name))}.", nameof(request));
        var features = request.Features ?? label.DefaultFeatures(trainer.ReadsTokenSequences, request.IgnoreColumns);
        var labelEstimator = label.Encoder(mlContext);

        IDataView train = request.Data;
        IDataView test;
        if (request.TestData is { } given)
        {
            test = given;
        }
        else
        {
            var split = DataSplits.TrainTest(request.Data, request.TestFraction, request.Seed, label.StratifyColumn);
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

        var model = new TrainedModel(label.Describe(trainer.Name, features, train), request.Data.Schema, labelEncoder, scorer);
        ScoreCheck.RequireFinite(scorer.Transform(encoded), $"The {trainer.Name} model trained on {train.GetRowCount() ?? 0:N0} rows");
        var report = ModelEvaluator.Evaluate(mlContext, model, test);
        var trainRows = train.GetRowCount() ?? 0;
        return new TrainingResult(model, report, trainRows, clock.Elapsed);
    }
}
