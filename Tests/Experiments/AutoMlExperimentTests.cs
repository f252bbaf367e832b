using MlToolkit.Data;
using MlToolkit.Experiments.Candidates;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Running;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Experiments.Tuning.Tuners;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;
using MlToolkit.Models;

namespace MlToolkit.Tests.Experiments;

/// <summary>AutoML on real data through the ML.NET-style API. Torch runs share one collection: torch threads and RNG are process-wide.</summary>
[Collection(TorchCollection.Name)]
public sealed class AutoMlExperimentTests
{
    [Fact]
    public void Digits_sweep_finds_an_accurate_model_refits_it_and_the_saved_model_scores_alike()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var split = DataSplits.TrainTest(SampleDatasets.Digits(ml), 0.2, seed: 1, "label");
        var result = ml.AutoMl().CreateExperiment(split.Train, "label")
            .SetTrainers("lbfgs", "lightgbm").SetCrossValidation(3).SetTrainingTime(null).SetMaxTrials(8).SetTestData(split.Test)
            .Run();

        Assert.Equal(8, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(result.Trials, t => Assert.Equal(3, t.FoldValues.Count));
        var best = result.BestTrial!;
        Measured.AtLeast(best.Value!.Value, 0.965, 0.9680, "best 3-fold CV accuracy");
        Assert.Equal(best.Value, result.Trials.Max(t => t.Value));
        Assert.Equal(best.Number, result.Leaderboard.Rows[0].Trial.Number);
        Measured.AtLeast(result.Test!["accuracy"], 0.99, 0.9916, "refit test accuracy");

        result.BestModel!.Save(ml, folder.File("best.zip"));
        var loaded = TrainedModel.Load(ml, folder.File("best.zip"));
        float[] Scores(TrainedModel model) => model.Score(model.LabelEncoder.Transform(split.Test)).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
        Assert.Equal(Scores(result.BestModel), Scores(loaded));
    }

    [Fact]
    public void Without_strong_starts_the_tuner_climbs_from_the_cheapest_corner_of_the_space()
    {
        // The strong starts alone can carry a short search; here the tuner must do the climbing, or a broken one would pass.
        var ml = new MLContext(1);
        var experiment = ml.AutoMl().CreateExperiment(SampleDatasets.Digits(ml), "label")
            .SetTrainers("lightgbm").SetCrossValidation(3).SetTrainingTime(null).SetMaxTrials(8).SetSeed(1);
        experiment.Options.StrongStarts = false;
        var result = experiment.Run();
        var first = result.Trials[0];
        Assert.Equal(4, first.Configuration.GetInt("lightgbm.iterations"));
        Measured.AtLeast(result.BestTrial!.Value!.Value - first.Value!.Value, 0.07, 0.0751, "best minus the first (4-tree) trial");
    }

    [Theory]
    [InlineData(TunerKind.Tpe)]
    [InlineData(TunerKind.Cfo)]
    public void The_same_seed_reproduces_the_trial_history(TunerKind tuner)
    {
        string History()
        {
            var ml = new MLContext(1);
            var result = ml.AutoMl().CreateExperiment(SampleDatasets.BreastCancer(ml), "diagnosis")
                .SetTrainers("sdca", "lightgbm", "mlp").SetTuner(tuner).SetCrossValidation(2).SetTrainingTime(null).SetMaxTrials(6).SetSeed(5)
                .Run();
            return string.Join("\n", result.Trials.Select(t => $"{t.Configuration} -> {t.Value:R} [{string.Join(",", t.FoldValues.Select(v => v.ToString("R")))}]"));
        }
        var first = History();
        Assert.Contains("trainer=mlp", first);
        Assert.Contains("trainer=lightgbm", first);
        Assert.Equal(first, History());
    }

    [Fact]
    public void A_short_budget_ends_on_time_and_a_torch_trial_that_would_take_minutes_returns_a_model_trained_for_its_share()
    {
        var ml = new MLContext(1);
        var clock = Stopwatch.StartNew();
        var result = ml.AutoMl().CreateExperiment(SampleDatasets.Digits(ml), "label")
            .SetTrainers("mlp").SetTrainingTime(TimeSpan.FromSeconds(8))
            .Enqueue("mlp", new Dictionary<string, ParameterValue>
            {
                ["learning_rate"] = ParameterValue.Of(1e-3), ["batch_size"] = ParameterValue.Of("16"), ["epochs"] = ParameterValue.Of(100),
                ["weight_decay"] = ParameterValue.Of(1e-5), ["optimizer"] = ParameterValue.Of("adam"), ["width"] = ParameterValue.Of(512),
                ["depth"] = ParameterValue.Of(3), ["dropout"] = ParameterValue.Of(0.1),
            })
            .Run();
        // One-sided and generous: 100 epochs on 5 folds would take minutes; stopping means returning soon after the budget.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8 + 10), $"returned after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(StopReason.TimeBudget, result.Summary.Reason);
        // Each fold trained only for its share of the time left (TorchTrainerOptions.TimeLimit), so the trial completed
        // with far fewer than its 100 epochs instead of being cancelled at the deadline.
        var trial = result.Trials[0];
        Assert.Equal(TrialState.Complete, trial.State);
        Assert.InRange(trial.Intermediate.Count, 1, 99);
        Assert.NotNull(result.BestModel);
    }

    [Fact]
    public void Asha_prunes_a_clearly_bad_torch_trial_before_its_last_epoch()
    {
        var ml = new MLContext(1);
        Dictionary<string, ParameterValue> Mlp(string optimizer, double rate) => new()
        {
            ["learning_rate"] = ParameterValue.Of(rate), ["batch_size"] = ParameterValue.Of("32"), ["epochs"] = ParameterValue.Of(9),
            ["weight_decay"] = ParameterValue.Of(1e-5), ["optimizer"] = ParameterValue.Of(optimizer), ["width"] = ParameterValue.Of(64),
            ["depth"] = ParameterValue.Of(1), ["dropout"] = ParameterValue.Of(0.0),
        };
        var bad = Mlp("sgd", 1e-4);
        bad["momentum"] = ParameterValue.Of(0.5);
        var events = new List<ExperimentEvent>();
        var result = ml.AutoMl().CreateExperiment(SampleDatasets.Digits(ml), "label")
            .SetTrainers("mlp").SetHoldout(0.2).SetTrainingTime(null).SetMaxTrials(2).SetPruner(new AshaPruner())
            .SetProgress(new Progress(events))
            .Enqueue("mlp", Mlp("adam", 3e-3)).Enqueue("mlp", bad)
            .Run();

        Assert.Equal(TrialState.Complete, result.Trials[0].State);
        Assert.Equal(Enumerable.Range(1, 9), result.Trials[0].Intermediate.Keys);
        Assert.Equal(TrialState.Pruned, result.Trials[1].State);
        Assert.True(result.Trials[1].Intermediate.Keys.Max() < 9, $"pruned after epoch {result.Trials[1].Intermediate.Keys.Max()}");
        Assert.Contains(events, e => e.Kind == ExperimentEventKind.TrialPruned && e.Trial.Number == 1);
        Assert.Equal(9, events.Count(e => e.Kind == ExperimentEventKind.TrialProgress && e.Trial.Number == 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parallel_trials_of_classic_and_torch_trainers_overlap_and_are_all_stored(bool sqlite)
    {
        using var folder = new TempFolder();
        AutoMlResult Run(int trials)
        {
            var ml = new MLContext(1);
            var experiment = ml.AutoMl().CreateExperiment(SampleDatasets.BreastCancer(ml), "diagnosis")
                .SetTrainers("lbfgs", "mlp").SetCrossValidation(2).SetTrainingTime(null).SetMaxTrials(trials).SetParallelTrials(2, 2);
            return (sqlite ? experiment.SetStorage(folder.File("parallel.db")) : experiment).Run();
        }
        var result = Run(4);
        Assert.Equal(new[] { 0, 1, 2, 3 }, result.Trials.Select(t => t.Number));
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(new[] { "lbfgs", "mlp" }, result.Trials.Select(t => t.Configuration.GetString("trainer")).Distinct().Order());
        // Two trials ran at the same time: some pair of [start, start + duration) intervals overlaps.
        var overlapping = result.Trials.SelectMany(a => result.Trials.Where(b => b.Number > a.Number), (a, b) => (a, b))
            .Count(p => p.a.Started < p.b.Started + p.b.Duration && p.b.Started < p.a.Started + p.a.Duration);
        Assert.True(overlapping >= 1, "no two trials overlapped");
        Measured.AtLeast(result.BestTrial!.Value!.Value, 0.975, 0.9789, "best 2-fold CV accuracy");
        if (!sqlite)
            return;
        var again = Run(4);
        Assert.Equal(4, again.Summary.ResumedTrials);
        Assert.Equal(result.Trials.Select(t => (t.Number, t.Value)), again.Trials.Select(t => (t.Number, t.Value)));
    }

    [Fact]
    public void A_cancelled_run_can_still_refit_its_best_and_any_complete_trial_refits_on_demand()
    {
        var ml = new MLContext(1);
        using var cancel = new CancellationTokenSource();
        var events = new List<ExperimentEvent>();
        var progress = new Progress(events, e => { if (e.Kind == ExperimentEventKind.TrialCompleted && e.Trial.Number == 2) cancel.Cancel(); });
        var result = ml.AutoMl().CreateExperiment(SampleDatasets.Iris(ml), "species").SetTrainers("lbfgs", "lightgbm").SetCrossValidation(2)
            .SetTrainingTime(null).SetMaxTrials(20).SetProgress(progress).Run(cancel.Token);
        Assert.Equal(StopReason.Cancelled, result.Summary.Reason);
        Assert.Null(result.BestModel);
        Assert.Equal(3, result.Trials.Count(t => t.State == TrialState.Complete));

        var best = result.Refit(result.BestTrial!);
        var worstTrial = result.Leaderboard.Rows[^1].Trial;
        var worst = result.Refit(worstTrial);
        var iris = SampleDatasets.Iris(ml);
        double Accuracy(TrainedModel model) => MlToolkit.Models.Evaluation.ModelEvaluator.Evaluate(ml, model, iris)["accuracy"];
        Measured.AtLeast(Accuracy(best), 0.975, 0.98, "refit best trial's accuracy on its training rows");
        Assert.Equal(result.BestTrial!.Configuration.GetString("trainer"), best.Description.Trainer);
        Assert.Equal(worstTrial.Configuration.GetString("trainer"), worst.Description.Trainer);
        Assert.Throws<ArgumentException>(() => result.Refit(new TrialRecord { Number = 99, State = TrialState.Complete, Configuration = result.BestTrial!.Configuration }));
    }

    [Fact]
    public void A_trainer_added_before_the_task_is_known_joins_that_tasks_defaults()
    {
        // Diabetes is regression: the defaults are settled at Run, so lbfgs (classification only) is not among them.
        var ml = new MLContext(1);
        var result = ml.AutoMl().CreateExperiment(SampleDatasets.Diabetes(ml), "progression").AddTrainer(CandidateCatalog.Get("lightgbm"))
            .SetCrossValidation(2).SetTrainingTime(null).SetMaxTrials(2).Run();
        Assert.Equal(PredictionTask.Regression, result.Task);
        Assert.Equal((StopReason.MaxTrials, 2), (result.Summary.Reason, result.Trials.Count(t => t.State == TrialState.Complete)));
    }

    [Fact]
    public void Bad_settings_are_refused_with_what_is_allowed()
    {
        var ml = new MLContext(1);
        var digits = SampleDatasets.Digits(ml);
        var metric = Assert.Throws<ArgumentException>(() => ml.AutoMl().CreateExperiment(digits, "label").SetMetric("rmse").SetMaxTrials(1).Run());
        Assert.StartsWith("Unknown metric 'rmse' for MulticlassClassification. Metrics: accuracy, macro_accuracy, log_loss, log_loss_reduction.", metric.Message);
        var trainer = Assert.Throws<ArgumentException>(() => ml.AutoMl().CreateExperiment(digits, "label").SetTrainers("xgboost"));
        Assert.StartsWith("Unknown trainer 'xgboost'. Trainers: lbfgs, sdca, lightgbm, fastforest, fasttree, knn, kernel, forest, mlp, cnn, lstm, gru, transformer.", trainer.Message);
        var endless = Assert.Throws<ArgumentException>(() => ml.AutoMl().CreateExperiment(digits, "label").SetTrainingTime(null).Run());
        Assert.StartsWith("Give a training time, a trial count, or both", endless.Message);
        var regression = Assert.Throws<ArgumentException>(() => ml.AutoMl().CreateExperiment(SampleDatasets.Diabetes(ml), "progression").SetTrainers("lbfgs").SetMaxTrials(1).Run());
        Assert.StartsWith("lbfgs cannot do Regression; trainers that can: sdca, lightgbm", regression.Message);
    }

    [Fact]
    public void A_value_no_trial_can_read_stops_the_run_before_the_first_trial_with_its_line()
    {
        // Past the 1,000 rows inference samples, a word in a numeric column: every trial would fail on it, one after another.
        using var folder = new TempFolder();
        var rows = Enumerable.Range(0, 1200).Select(i => i == 1100 ? "oops,1,yes" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i % 10 * 0.1:0.0},{i % 3},{(i % 10 < 5 ? "no" : "yes")}"));
        var path = folder.Write("late.csv", "x,z,y\n" + string.Join("\n", rows) + "\n");
        var events = new List<ExperimentEvent>();
        var ml = new MLContext(1);
        var error = Assert.Throws<DataFormatException>(() => ml.AutoMl().CreateExperiment(MlToolkit.Data.Delimited.DelimitedFile.Load(path), "y")
            .SetTrainers("lbfgs").SetTrainingTime(null).SetMaxTrials(50).SetProgress(new Progress(events)).Run());
        Assert.StartsWith($"{path}, line 1102, column 'x': value 'oops': expected a number", error.Message);
        Assert.DoesNotContain(events, e => e.Kind is ExperimentEventKind.TrialStarted or ExperimentEventKind.TrialFailed);
    }

    private sealed class Progress(List<ExperimentEvent> events, Action<ExperimentEvent>? then = null) : IProgress<ExperimentEvent>
    {
        public void Report(ExperimentEvent value)
        {
            lock (events)
                events.Add(value);
            then?.Invoke(value);
        }
    }
}
