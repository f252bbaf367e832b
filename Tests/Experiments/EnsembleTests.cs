using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Ensembles;
using MlToolkit.Experiments.Reporting;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Models;
using MlToolkit.Models.Evaluation;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Experiments;

/// <summary>Ensemble selection over stored out-of-fold predictions, and the ensemble model AutoML saves.</summary>
[Collection(TorchCollection.Name)]
public sealed class EnsembleTests
{
    // Three tests read the same 10-trial search on all of breast cancer: it runs once.
    private static readonly Lazy<AutoMlResult> FullBreastCancerRun = new(() =>
    {
        var ml = new MLContext(1);
        return BreastCancerRun(ml, SampleDatasets.BreastCancer(ml));
    });

    private static AutoMlResult BreastCancerRun(MLContext ml, IDataView train, IDataView? test = null) =>
        ml.AutoMl().CreateExperiment(train, "diagnosis")
            .SetTrainers("lbfgs", "knn", "kernel", "lightgbm").SetMetric("log_loss").SetCrossValidation(3).SetTrainingTime(null).SetMaxTrials(10).SetSeed(1)
            .SetTestData(test).Run();

    [Fact]
    public void The_selected_blend_is_at_least_as_good_as_every_member_on_the_folds_it_was_selected_on()
    {
        var result = FullBreastCancerRun.Value;
        var ensemble = Assert.IsType<EnsembleSummary>(result.Ensemble);
        Assert.True(ensemble.Weights.Count >= 2, $"{ensemble.Weights.Count} members");
        Assert.Equal(1.0, ensemble.Weights.Values.Sum(), 6);

        // Recompute every stored trial's pooled out-of-fold log-loss: the blend beats each, including the best.
        var labels = OutOfFoldLabels();
        var metric = new OutOfFoldMetric(PredictionTask.BinaryClassification, "log_loss", labels);
        var singles = result.Trials.Select(t => OutOfFoldPredictions.FromDiagnostics(t.Diagnostics)).Where(p => p is not null)
            .Select(p => metric.Loss(p!.Value.Values.Select(v => (double)v).ToArray(), 1)).ToList();
        Assert.Equal(singles.Min(), ensemble.BestSingleValue, 9);
        Assert.True(ensemble.Value < singles.Min(), $"blend {ensemble.Value} vs best single {singles.Min()}");
        Assert.Null(ensemble.JudgedOn);
        Measured.AtMost(ensemble.Value, 0.105, 0.1029, "blend's out-of-fold log-loss in bits");
        Assert.Equal("ensemble", result.BestModel!.Description.Trainer);

        // The constant predictor (each fold's training rate of malignant) is far behind: its log-loss, computed here by hand.
        var baseline = Assert.IsType<BaselineSummary>(result.Baseline);
        var constantLoss = BreastCancerFolds().SelectMany(f =>
        {
            var rate = f.Train.GetColumn<bool>("Label").Average(l => l ? 1.0 : 0.0);
            return f.Test.GetColumn<bool>("Label").Select(l => -Math.Log2(l ? rate : 1 - rate));
        }).Average();
        Assert.Equal(constantLoss, baseline.Value, 9);
        Assert.Equal(singles.Min(), baseline.BestValue, 9);
        Assert.Equal((true, false), (baseline.Beaten, baseline.Saved));
        // In the leaderboard's units: the best trial's pooled out-of-fold log-loss is its mean over folds, up to fold sizes.
        Assert.Equal(result.BestTrial!.Value!.Value, baseline.BestValue, 3);

        // The report shows the blend with its members and weights.
        using var folder = new TempFolder();
        var html = File.ReadAllText(ExperimentReport.Write(ReportData.FromResult(result), folder.Path).Html);
        Assert.Contains("<section id=\"ensemble\">", html);
        foreach (var (number, weight) in ensemble.Weights)
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"<tr><td>{number}</td>"), html);
    }

    [Fact]
    public void The_saved_ensemble_loads_and_scores_identically_and_evaluates_like_any_model()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var split = DataSplits.TrainTest(SampleDatasets.BreastCancer(ml), 0.2, seed: 1, "diagnosis");
        var result = BreastCancerRun(ml, split.Train, split.Test);
        Assert.NotNull(result.Ensemble);
        var path = folder.File("ensemble.zip");
        result.BestModel!.Save(ml, path);
        var loaded = TrainedModel.Load(ml, path);
        float[] Probabilities(TrainedModel model) => model.Score(model.LabelEncoder.Transform(split.Test)).GetColumn<float>("Probability").ToArray();
        Assert.Equal(Probabilities(result.BestModel), Probabilities(loaded));
        var evaluated = ModelEvaluator.Evaluate(ml, loaded, split.Test);
        Assert.Equal(result.Test!["log_loss"], evaluated["log_loss"], 9);
        Measured.AtLeast(evaluated["accuracy"], 0.98, 0.9823, "ensemble test accuracy");
    }

    [Fact]
    public void Bagged_selection_averages_selections_from_random_halves_and_repeats_with_its_seed()
    {
        var result = FullBreastCancerRun.Value;
        var metric = new OutOfFoldMetric(PredictionTask.BinaryClassification, "log_loss", OutOfFoldLabels());
        var candidates = result.Trials.Select(t => (t.Number, Stored: OutOfFoldPredictions.FromDiagnostics(t.Diagnostics))).Where(c => c.Stored is not null)
            .Select(c => new EnsembleCandidate(c.Number, c.Stored!.Value.Values)).ToList();
        double Loss(IReadOnlyDictionary<int, double> weights) => metric.Loss(EnsembleSelection.Average(candidates, weights), 1);

        var bagged = EnsembleSelection.SelectBagged(candidates, metric, 1, rounds: 25, bags: 20, seed: 1);
        var greedy = EnsembleSelection.Select(candidates, metric, 1, rounds: 25);

        Assert.Equal(1.0, bagged.Values.Sum(), 9);
        Assert.Equal(bagged, EnsembleSelection.SelectBagged(candidates, metric, 1, 25, 20, seed: 1));
        Assert.NotEqual(bagged, EnsembleSelection.SelectBagged(candidates, metric, 1, 25, 20, seed: 2));
        // One greedy selection fits these rows best; the bags give a little of that up for a broader blend that still beats every single trial.
        Assert.True(bagged.Count > greedy.Counts.Count, $"{bagged.Count} bagged members vs {greedy.Counts.Count}");
        Assert.InRange(Loss(bagged), greedy.Loss, greedy.BestSingleLoss);
        Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleSelection.SelectBagged(candidates, metric, 1, 25, bags: 0, seed: 1));

        // On the Brier score, which guides accuracy, members are chosen through the squared-error expansion: the same blends as scoring each.
        var brier = new OutOfFoldMetric(PredictionTask.BinaryClassification, OutOfFoldMetric.Brier, OutOfFoldLabels());
        Assert.Equal(EnsembleSelection.SelectBagged(candidates, brier, 1, 25, 20, seed: 1, squaredErrorShortcut: false),
            EnsembleSelection.SelectBagged(candidates, brier, 1, 25, 20, seed: 1, squaredErrorShortcut: true));
    }

    [Fact]
    public void The_pool_holds_the_best_trials_overall_and_the_best_two_of_every_trainer()
    {
        var space = new SearchSpace().Choice(AutoMlSpace.TrainerParameter, "lightgbm", "forest", "knn");
        TrialRecord Trial(int number, string trainer, double? value, TrialState state = TrialState.Complete) => new()
        {
            Number = number, State = state, Value = value,
            Configuration = space.Configuration(new Dictionary<string, ParameterValue> { [AutoMlSpace.TrainerParameter] = ParameterValue.Of(trainer) }),
        };
        // 25 LightGBM trials outrank every forest; one forest is the best of all but failed, one scored NaN; knn ran once.
        var trials = Enumerable.Range(0, 25).Select(i => Trial(i, "lightgbm", 0.90 - i * 0.001))
            .Concat(new[]
            {
                Trial(25, "forest", 0.80), Trial(26, "forest", 0.82), Trial(27, "forest", 0.81), Trial(28, "forest", 0.99, TrialState.Failed),
                Trial(29, "forest", double.NaN), Trial(30, "knn", 0.70),
            }).ToList();

        var pool = EnsembleBuilder.Pool(trials, maximize: true);

        Assert.Equal(Enumerable.Range(0, 20).Concat(new[] { 26, 27, 30 }), pool.Select(t => t.Number));
        // Minimizing, the best 20 already hold every trainer's best two.
        Assert.Equal(new[] { 30, 25, 27, 26 }.Concat(Enumerable.Range(9, 16).Reverse()), EnsembleBuilder.Pool(trials, maximize: false).Select(t => t.Number));
    }

    [Fact]
    public void A_blend_cut_to_the_members_refit_in_time_is_kept_only_while_it_beats_the_best_single_trial_out_of_fold()
    {
        var result = FullBreastCancerRun.Value;
        var selected = Assert.IsType<EnsembleSummary>(result.Ensemble);
        var builder = new EnsembleBuilder(PredictionTask.BinaryClassification, new MetricDefinition("log_loss", false), BreastCancerFolds());
        var again = builder.Select(result.Trials, out var whyNot);
        Assert.Null(whyNot);
        Assert.Equal(selected.Weights.ToList(), again!.Weights.ToList());

        // Members are refit heaviest first, so what is kept when time runs out is a prefix by weight.
        var byWeight = selected.Weights.OrderByDescending(w => w.Value).Select(w => w.Key).ToList();
        var prefixes = Enumerable.Range(1, byWeight.Count).Select(n => builder.Restrict(byWeight.Take(n).ToList())).ToList();
        // Measured: the heaviest one to three of the five members do not beat the best single trial, four do.
        Assert.Equal(5, byWeight.Count);
        Assert.All(prefixes.Take(3), Assert.Null);
        var partial = Assert.IsType<EnsembleSummary>(prefixes[3]);
        Assert.Equal(byWeight.Take(4).Order(), partial.Weights.Keys.Order());
        Assert.Equal(1.0, partial.Weights.Values.Sum(), 9);
        Assert.Equal(selected.Weights[byWeight[0]] / byWeight.Take(4).Sum(n => selected.Weights[n]), partial.Weights[byWeight[0]], 9);
        Assert.Equal(selected.BestSingleValue, partial.BestSingleValue);
        Assert.True(partial.Value < partial.BestSingleValue, $"four members {partial.Value} vs best single {partial.BestSingleValue}");
        Assert.True(partial.Value >= selected.Value, $"four members {partial.Value} vs all {selected.Value}");
        Assert.Throws<InvalidOperationException>(() => new EnsembleBuilder(PredictionTask.BinaryClassification, new MetricDefinition("log_loss", false), BreastCancerFolds()).Restrict(byWeight));
    }

    [Fact]
    public void A_blend_that_does_not_beat_the_constant_baseline_on_the_metric_is_not_kept()
    {
        var result = FullBreastCancerRun.Value;
        var selected = Assert.IsType<EnsembleSummary>(result.Ensemble);
        var metric = new MetricDefinition("log_loss", false);
        // A baseline below every blend's log-loss (0.1026 bits for the bagged one): none may be kept, and the reason names it.
        var strict = new EnsembleBuilder(PredictionTask.BinaryClassification, metric, BreastCancerFolds(), baselineValue: 0.05);
        Assert.Null(strict.Select(result.Trials, out var whyNot));
        Assert.Equal("the blend of the 10 candidate trials does not beat the constant baseline's out-of-fold log_loss (0.0500)", whyNot);
        // The real constant is far above it: the same blend is kept.
        var real = new EnsembleBuilder(PredictionTask.BinaryClassification, metric, BreastCancerFolds(), result.Baseline!.Value);
        Assert.Equal(selected.Weights.ToList(), real.Select(result.Trials, out _)!.Weights.ToList());
    }

    private static float[] OutOfFoldLabels() =>
        BreastCancerFolds().SelectMany(f => f.Test.GetColumn<bool>("Label").Select(b => b ? 1f : 0f)).ToArray();

    /// <summary>The folds AutoML used: the seeded stratified 3-fold split of the label-encoded data, in fold order.</summary>
    private static IReadOnlyList<DataSplit> BreastCancerFolds()
    {
        var ml = new MLContext(1);
        var labels = SampleDatasets.BreastCancer(ml).GetColumn<string>("diagnosis").ToArray();
        return DataSplits.KFold(ml.Data.LoadFromEnumerable(labels.Select(l => new LabelRow { Label = l == "malignant" })), 3, 1, "Label");
    }

    private sealed class LabelRow
    {
        public bool Label { get; set; }
    }
}
