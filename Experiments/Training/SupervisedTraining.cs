using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Images;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Models.Evaluation;
using MlToolkit.Models;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Training;

/// <summary>
/// One supervised training run end to end: infer the task, hold out test data (stratified by class), encode the label, featurize
/// every column by its purpose, fit the trainer, and evaluate on the test data.
/// </summary>
public static class SupervisedTraining
{
    private const string EpochsParameter = "epochs";

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
        var label = LabelSetup.Resolve(request.Data, request.LabelColumn, request.Task, request.PositiveClass);
        var (labelled, withoutLabel) = LabelledRows.Of(request.Data, label.LabelColumn);
        request = request with { Data = labelled };
        var task = label.Task;
        var modality = label.Modality(request.Features, request.IgnoreColumns);
        var trainer = request.Candidate ?? (request.Trainer is { } name ? CandidateCatalog.Get(name)
            : CandidateCatalog.SingleRunDefault(task, modality, RowCounter.Count(request.Data)));
        if (!trainer.Supports(task))
            throw new ArgumentException($"Trainer '{trainer.Name}' does not support {task}; choose one of: {string.Join(", ", CandidateCatalog.All.Where(t => t.Supports(task)).Select(t => t.Name))}.", nameof(request));
        var features = request.Features ?? label.DefaultFeatures(trainer.ReadsTokenSequences, request.IgnoreColumns);
        var hyperparameters = Configuration(trainer, task, request);
        var (train, test) = Split(request, label);
        foreach (var column in features.ImagePathColumns)
            ImageFiles.Check(request.Data, column);
        // Trainers make many passes; parsing text on each would dominate.
        train = new CancellingDataView(mlContext.Data.Cache(train), cancellationToken);

        var clock = Stopwatch.StartNew();
        var labelEncoder = label.Encoder(mlContext).Fit(train);
        var encoded = labelEncoder.Transform(train);
        var trainRows = RowCounter.Count(train);
        var pipeline = trainer.CreatePipeline(mlContext, task, features, hyperparameters,
            new CandidateContext(request.Threads, request.Seed, cancellationToken)
            {
                Progress = request.Progress,
                Data = new DataShape(trainRows, label.Classes.Count, modality),
            });
        var scorer = pipeline.Fit(encoded);
        clock.Stop();
        cancellationToken.ThrowIfCancellationRequested();

        var model = new TrainedModel(label.Describe(trainer.Name, features, train), request.Data.Schema, labelEncoder, scorer);
        ScoreCheck.RequireFinite(scorer.Transform(encoded), $"The {trainer.Name} model trained on {trainRows:N0} rows");
        var report = ModelEvaluator.Evaluate(mlContext, model, test);
        return new TrainingResult(model, report, trainRows, clock.Elapsed, hyperparameters) { RowsWithoutLabel = withoutLabel };
    }

    private static (IDataView Train, IDataView Test) Split(TrainingRequest request, LabelSetup label)
    {
        if (request.TestData is { } given)
            return (request.Data, given);
        var split = DataSplits.TrainTest(request.Data, request.TestFraction, request.Seed, label.StratifyColumn);
        return (split.Train, split.Test);
    }

    /// <summary>The trainer's defaults with the request's overrides (its hyperparameters, and epochs for iterative trainers).</summary>
    /// <exception cref="ArgumentException">An override names no hyperparameter of the trainer, or is out of its range.</exception>
    public static ParameterSet Configuration(TrialCandidate trainer, PredictionTask task, TrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(request);
        var space = trainer.SearchSpace(task);
        var values = trainer.Defaults(task).Values.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        try
        {
            if (request.Epochs is { } epochs && values.ContainsKey(EpochsParameter))
                values[EpochsParameter] = epochs;
            foreach (var (name, value) in request.Hyperparameters)
                values[name] = space.Coerce(name, value);
            return space.Configuration(values, withinRanges: false);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
        {
            var message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            throw new ArgumentException($"Trainer '{trainer.Name}': {message}", e);
        }
    }
}
