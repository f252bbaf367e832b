using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Training;
using MlToolkit.Models;
using MlToolkit.Models.Ensembles;
using MlToolkit.Models.Evaluation;
using MlToolkit.Models.Onnx;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;

namespace MlToolkit.Tests.Experiments;

/// <summary>Bagging: the final model averages a trial's fold models (<see cref="FoldModelCache"/>) instead of a refit.</summary>
[Collection(TorchCollection.Name)]
public sealed class FoldModelBaggingTests
{
    /// <summary>Three logistic regressions of breast cancer, each fit on a different two thirds, as a trial's fold models would be.</summary>
    private static (IReadOnlyList<TrainedModel> Folds, IDataView Test) ThreeFoldModels(MLContext ml)
    {
        var split = DataSplits.TrainTest(SampleDatasets.BreastCancer(ml), 0.2, seed: 1, "diagnosis");
        var folds = DataSplits.KFold(split.Train, 3, seed: 1, "diagnosis")
            .Select(f => SupervisedTraining.Run(ml, new TrainingRequest { Data = f.Train, LabelColumn = "diagnosis", Trainer = "lbfgs", TestFraction = 0.1 }).Model)
            .ToList();
        return (folds, split.Test);
    }

    private static float[] Probabilities(ITransformer model, IDataView data) => model.Transform(data).GetColumn<float>("Probability").ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_process_keeps_the_fold_models_of_its_best_trials_and_writes_only_those_asked_for(bool maximize)
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (folds, _) = ThreeFoldModels(ml);
        var cache = new FoldModelCache(folder.Path, maximize);
        var made = new List<int>();
        // Each trial better than the one before: all are kept as they come, and the first five drop out at the end.
        var trials = FoldModelCache.Kept + 5;
        for (var trial = 0; trial < trials; trial++)
        {
            var number = trial;
            cache.Offer(trial, maximize ? trial : -trial, () => { made.Add(number); return folds; });
        }
        cache.Offer(99, maximize ? -1 : 1, () => { made.Add(99); return folds; });
        cache.Offer(98, double.NaN, () => { made.Add(98); return folds; });
        Assert.Equal(Enumerable.Range(0, trials), made);

        cache.Save(ml, new[] { 4, 5, 99, trials - 1 });
        Assert.Null(cache.Bag(ml, 4, 3, PredictionTask.BinaryClassification));
        Assert.Null(cache.Bag(ml, 99, 3, PredictionTask.BinaryClassification));
        Assert.NotNull(cache.Bag(ml, 5, 3, PredictionTask.BinaryClassification));
        Assert.NotNull(cache.Bag(ml, trials - 1, 3, PredictionTask.BinaryClassification));
        Assert.Null(cache.Bag(ml, 6, 3, PredictionTask.BinaryClassification));
        Assert.Equal(new[] { "trial-" + (trials - 1), "trial-5" }, Directory.GetDirectories(folder.Path).Select(Path.GetFileName).Order());

        cache.Clear();
        Assert.False(Directory.Exists(folder.Path));
    }

    [Fact]
    public void The_bag_scores_the_average_of_its_fold_models_and_round_trips_to_identical_scores()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var (folds, test) = ThreeFoldModels(ml);
        var cache = new FoldModelCache(folder.File("folds"), maximize: true);
        cache.Offer(7, 0.9, () => folds);
        cache.Save(ml, new[] { 7 });
        var bag = cache.Bag(ml, 7, 3, PredictionTask.BinaryClassification)!;

        var each = folds.Select(f => Probabilities(f, test)).ToList();
        var average = Enumerable.Range(0, each[0].Length).Select(i => each.Average(p => p[i])).ToArray();
        var bagged = Probabilities(bag, test);
        Assert.Equal(average.Length, bagged.Length);
        for (var i = 0; i < bagged.Length; i++)
            Assert.Equal(average[i], bagged[i], 5);
        Assert.Contains(each, p => !p.SequenceEqual(bagged));

        var path = folder.File("bag.zip");
        bag.Save(ml, path);
        Assert.Equal(bagged, Probabilities(TrainedModel.Load(ml, path), test));
        Assert.Equal("lbfgs", bag.Description.Trainer);

        var export = Assert.Throws<ArgumentException>(() => ml.Model.ExportOnnx(bag, folder.File("bag.onnx")));
        Assert.StartsWith("The model averages 3 models (an AutoML ensemble, or a trial's fold models bagged); ONNX export needs a single network: run automl with --ensemble false --bag false", export.Message);
    }

    [Fact]
    public void AutoML_with_k_folds_saves_the_best_trials_fold_models_averaged_and_leaves_no_files_behind()
    {
        var ml = new MLContext(1);
        var split = DataSplits.TrainTest(SampleDatasets.BreastCancer(ml), 0.2, seed: 1, "diagnosis");
        var before = FoldFolders();
        AutoMlResult Run(bool bag, int folds)
        {
            var experiment = ml.AutoMl().CreateExperiment(split.Train, "diagnosis")
                .SetTrainers("lbfgs", "lightgbm").SetCrossValidation(folds).SetTrainingTime(null).SetMaxTrials(4).SetSeed(1).SetTestData(split.Test);
            experiment.Options.Ensemble = false;
            experiment.Options.BagFoldModels = bag;
            return experiment.Run();
        }

        var bagged = Run(bag: true, folds: 3);
        Assert.Equal(new[] { bagged.BestTrial!.Number }, bagged.BaggedTrials);
        var members = Assert.IsType<EnsembleTransformer>(bagged.BestModel!.Scorer).Members;
        Assert.Equal(3, members.Count);
        Measured.AtLeast(bagged.Test!["accuracy"], 0.98, 0.9823, "bagged best trial's test accuracy");

        var refit = Run(bag: false, folds: 3);
        Assert.Empty(refit.BaggedTrials);
        Assert.IsNotType<EnsembleTransformer>(refit.BestModel!.Scorer);
        Assert.Equal(bagged.BestTrial.Number, refit.BestTrial!.Number);

        // A holdout trial fit one model on 80% of the rows: refitting on all of them is better than keeping it.
        Assert.Empty(Run(bag: true, folds: 1).BaggedTrials);
        Assert.Equal(before, FoldFolders());
    }

    private static string[] FoldFolders() => Directory.GetDirectories(Path.GetTempPath(), "mltoolkit-folds-*").Order().ToArray();
}
