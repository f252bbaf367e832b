using System.Diagnostics;
using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Data.IO;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Experiments.AutoMl;

/// <summary>
/// The AutoML objective: builds the pipeline (featurization + the chosen trainer with its configuration), fits it on
/// each fold's training part and scores the other part. Features are fitted per fold, so nothing of a validation fold
/// leaks into its model. The first fold's per-epoch validation losses go to the pruner.
/// </summary>
internal sealed class TrialEvaluator
{
    /// <summary>Share of the training rows an iterative trainer holds out to report a validation loss per epoch (what pruners see).</summary>
    public const double ValidationFraction = 0.1;

    private readonly PredictionTask _task;
    private readonly MetricDefinition _metric;
    private readonly IReadOnlyList<Data.Splits.DataSplit> _folds;
    private readonly Func<TrialCandidate, IFeaturePlan> _features;
    private readonly int _seed;
    private readonly bool _reportEpochs;
    private readonly IReadOnlyList<string> _binaryClasses;
    /// <summary>Each fold's training part: its rows (counted once, on first use), classes and modality.</summary>
    private readonly Lazy<DataShape[]> _foldData;

    public TrialEvaluator(PredictionTask task, MetricDefinition metric, IReadOnlyList<Data.Splits.DataSplit> folds, Func<TrialCandidate, IFeaturePlan> features, int seed,
        bool reportEpochs, IReadOnlyList<string> binaryClasses, DataShape data)
    {
        _binaryClasses = binaryClasses;
        _task = task;
        _metric = metric;
        _folds = folds;
        _features = features;
        _seed = seed;
        _reportEpochs = reportEpochs;
        _foldData = new Lazy<DataShape[]>(() => folds.Select(f => data with { Rows = RowCounter.Count(f.Train) }).ToArray());
    }


    public TrialOutcome Evaluate(ParameterSet configuration, TrialContext context)
    {
        var (candidate, parameters) = Resolve(configuration);
        var values = new List<double>();
        var sums = new Dictionary<string, double>();
        var diagnostics = new OutOfFoldDiagnostics(_task, _binaryClasses);
        var started = Stopwatch.StartNew();
        for (var fold = 0; fold < _folds.Count; fold++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            // A fresh context per fold: ML.NET trainers draw from it, so every fold (and every rerun) starts alike.
            var ml = new MLContext(_seed);
            var report = _reportEpochs && fold == 0 ? context.ReportIntermediate : (Action<int, double>?)null;
            var pipeline = candidate.CreatePipeline(ml, _task, _features(candidate), parameters,
                new CandidateContext(context.Threads, _seed, context.CancellationToken, report)
                {
                    ValidationFraction = ValidationFraction,
                    Data = FoldData(fold),
                    // Each fold's share of the time still left (scoring and start-up overruns shrink the later folds' shares; one
                    // share is kept spare), so that a torch trial returns a (shorter-trained) model within the budget.
                    TimeLimit = context.TimeLeft is { } left ? TimeSpan.FromTicks(Math.Max((left - started.Elapsed).Ticks, 0) / (_folds.Count - fold + 1)) : null,
                });
            var model = pipeline.Fit(new CancellingDataView(_folds[fold].Train, context.CancellationToken));
            context.CancellationToken.ThrowIfCancellationRequested();
            var scored = ml.Data.Cache(model.Transform(_folds[fold].Test));
            ScoreCheck.RequireFinite(scored, $"The model of fold {fold + 1}");
            var metrics = ModelEvaluator.Metrics(ml, _task, scored);
            diagnostics.Add(scored);
            var value = metrics.FirstOrDefault(m => m.Key == _metric.Name);
            if (value.Key is null)
                throw new InvalidOperationException($"Trainer '{candidate.Name}' gives no {_metric.Name} (it has {string.Join(", ", metrics.Select(m => m.Key))}).");
            values.Add(value.Value);
            foreach (var (name, metric) in metrics)
                sums[name] = sums.GetValueOrDefault(name) + metric;
        }
        return new TrialOutcome(values.Average(), values, sums.ToDictionary(p => p.Key, p => p.Value / _folds.Count), diagnostics.ToJson());
    }

    /// <summary>The training part of fold <paramref name="fold"/>: its rows, and the data's classes and modality.</summary>
    public DataShape FoldData(int fold) => _foldData.Value[fold];

    public static (TrialCandidate Candidate, ParameterSet Parameters) Resolve(ParameterSet configuration)
    {
        var name = configuration.GetString(AutoMlSpace.TrainerParameter);
        return (CandidateCatalog.Get(name), configuration.Scope(name));
    }
}

/// <summary>The experiment's search space: a trainer choice over each candidate's own space.</summary>
internal static class AutoMlSpace
{
    public const string TrainerParameter = "trainer";

    public static SearchSpace Build(PredictionTask task, IEnumerable<TrialCandidate> candidates) =>
        new SearchSpace().Branches(TrainerParameter, candidates.Select(c => new KeyValuePair<string, SearchSpace>(c.Name, c.SearchSpace(task))));
}
