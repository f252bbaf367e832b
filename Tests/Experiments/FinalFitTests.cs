using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Ensembles;
using MlToolkit.Experiments.Training;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Models;
using MlToolkit.Tests.Trainers.Torch;
using MlToolkit.Trainers.Torch.Forests;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Tests.Experiments;

/// <summary>
/// What a candidate declares about the saved model's fit: <see cref="TrialCandidate.FinalFit"/> (a forest grows at least
/// its default trees, and the refit reserve counts what that costs) and <see cref="TrialCandidate.TrainsWithTorch"/> (libtorch
/// is loaded before the refit).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class FinalFitTests
{
    private static ParameterSet Forest(int trees) => new ForestCandidate().SearchSpace(PredictionTask.MulticlassClassification).Defaults()
        .With("kind", "extra_trees").With("trees", trees);

    [Fact]
    public void A_forest_below_its_default_trees_is_grown_to_them_at_the_cost_it_adds()
    {
        var fit = new ForestCandidate().FinalFit(Forest(25));
        Assert.Equal(ForestCandidate.DefaultTrees, fit.Parameters.GetInt("trees"));
        Assert.Equal("extra_trees", fit.Parameters.GetString("kind"));
        Assert.Equal(Forest(25).Names, fit.Parameters.Names);
        Assert.Equal(4.0, fit.CostFactor, 12);
        Assert.Equal("trees 25 → 100", fit.Change);
    }

    [Fact]
    public void A_forest_at_or_above_its_default_trees_and_other_trainers_are_fit_as_their_trials()
    {
        var forest = new ForestCandidate().FinalFit(Forest(150));
        Assert.Equal(Forest(150), forest.Parameters);
        Assert.Equal(1.0, forest.CostFactor);
        Assert.Null(forest.Change);
        // Boosting's trees add capacity, not just averaging: LightGBM keeps its trial's.
        var lightGbm = new LightGbmCandidate();
        var boosted = lightGbm.SearchSpace(PredictionTask.MulticlassClassification).Defaults();
        Assert.Equal(FinalFit.Unchanged(boosted), lightGbm.FinalFit(boosted));
    }

    private static TrialRecord ForestTrial(int trees, double crossValidationSeconds) => new()
    {
        Number = 0,
        State = TrialState.Complete,
        Configuration = new ParameterSet(null, Forest(trees).Values.ToDictionary(p => "forest." + p.Key, p => p.Value)).With(AutoMlSpace.TrainerParameter, "forest"),
        Duration = TimeSpan.FromSeconds(crossValidationSeconds),
    };

    [Fact]
    public void The_expected_refit_of_a_small_forest_counts_its_larger_final_fit()
    {
        var forest = ForestTrial(25, 8);
        // 8 s over 5 folds is 1.6 s a fit, a quarter more for all rows, and four times the trees.
        Assert.Equal(TimeSpan.FromSeconds(8), EnsembleRefit.Expected(forest, 5));
        Assert.Equal("trees 25 → 100", TrialConfiguration.FinalFit(forest).Change);
    }

    [Fact]
    public void The_larger_final_fit_is_made_only_when_it_is_expected_to_end_in_the_time_the_refit_has()
    {
        var forest = ForestTrial(25, 8);
        Assert.Equal(100, AutoMlExperiment.FinalFitWithin(forest, 5, null).Parameters.GetInt("trees"));
        Assert.Equal(100, AutoMlExperiment.FinalFitWithin(forest, 5, TimeSpan.FromSeconds(8)).Parameters.GetInt("trees"));
        // 100 trees are expected to take 8 s; with 7.9 s left the trial's own 25 trees (2 s) are refit, and nothing is reported.
        var within = AutoMlExperiment.FinalFitWithin(forest, 5, TimeSpan.FromSeconds(7.9));
        Assert.Equal(25, within.Parameters.GetInt("trees"));
        Assert.Null(within.Change);
        Assert.Equal(1.0, within.CostFactor);
    }

    [Fact]
    public void AutoML_saves_a_small_forest_trial_grown_to_the_default_trees_and_says_so()
    {
        var ml = new MLContext(1);
        var split = DataSplits.TrainTest(SampleDatasets.Wine(ml), 0.3, seed: 1, "cultivar");
        var experiment = ml.AutoMl().CreateExperiment(split.Train, "cultivar")
            .SetTrainers("forest").SetCrossValidation(3).SetTrainingTime(null).SetMaxTrials(1).SetTestData(split.Test)
            .Enqueue("forest", Forest(20).Values);
        experiment.Options.StrongStarts = false;
        experiment.Options.Ensemble = false;
        var result = experiment.Run();

        Assert.Equal(20, TrialConfiguration.Hyperparameters(result.BestTrial!).GetInt("trees"));
        Assert.Equal("trees 20 → 100", result.FinalFitChange);
        var network = result.BestModel!.Scorer switch
        {
            TransformerChain<ITransformer> chain => chain.OfType<TorchPredictionTransformer>().Single().Network,
            var other => Assert.IsType<TorchPredictionTransformer>(other).Network,
        };
        Assert.Equal(ForestCandidate.DefaultTrees, Assert.IsType<ForestArchitecture>(network.Architecture).Trees);
        // Wine's 30 % held out (54 rows): 100 trees score 1.0 (measured), as does any forest here; the check is that the
        // saved model is a working forest, not a better one.
        Assert.Equal(1.0, result.Test!["accuracy"], 12);
    }

    [Fact]
    public void Exactly_the_tabular_trainers_whose_models_score_with_torch_declare_it()
    {
        var ml = new MLContext(1);
        var iris = SampleDatasets.Iris(ml);
        foreach (var candidate in CandidateCatalog.Defaults(PredictionTask.MulticlassClassification))
        {
            var model = SupervisedTraining.Run(ml, new TrainingRequest { Data = iris, LabelColumn = "species", Candidate = candidate }).Model;
            Assert.True(candidate.TrainsWithTorch == ScoresWithTorch(model.Scorer), $"{candidate.Name} declares TrainsWithTorch = {candidate.TrainsWithTorch}");
        }
        Assert.Equal(new[] { "cnn", "forest", "gru", "kernel", "knn", "lstm", "mlp", "transformer" },
            CandidateCatalog.All.Where(c => c.TrainsWithTorch).Select(c => c.Name).Order());
    }

    private static bool ScoresWithTorch(ITransformer scorer) => scorer switch
    {
        TorchPredictionTransformer => true,
        IEnumerable<ITransformer> chain => chain.Any(ScoresWithTorch),
        _ => false,
    };
}
