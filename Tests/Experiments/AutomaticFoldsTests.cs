using Microsoft.ML;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Tests.Experiments;

/// <summary>How AutoML evaluates trials when the user does not choose: folds by table size, a holdout on large data.</summary>
public sealed class AutomaticFoldsTests
{
    [Theory]
    [InlineData(20, 5)]
    [InlineData(99, 5)]
    [InlineData(100, 10)]
    [InlineData(199, 10)]
    [InlineData(200, 5)]
    [InlineData(9_999, 5)]
    [InlineData(10_000, 1)]
    public void Tables_of_100_to_199_rows_get_ten_folds_other_small_tables_five_and_large_ones_a_holdout(long rows, int folds) =>
        Assert.Equal(folds, AutoMlExperiment.AutomaticFolds(rows, 9, DataModality.Tabular));

    [Theory]
    [InlineData(546, 19, 10)]
    [InlineData(249, 5, 10)]
    [InlineData(250, 5, 5)]
    [InlineData(999, 20, 10)]
    [InlineData(1_000, 30, 5)]
    [InlineData(792, 11, 5)]
    [InlineData(677, 4, 5)]
    [InlineData(200, 2, 5)]
    [InlineData(500, 0, 5)]
    [InlineData(150, 2, 10)]
    [InlineData(99, 26, 5)]
    public void Multiclass_tables_of_200_to_999_rows_get_ten_folds_when_their_classes_average_under_50_rows(long rows, int classes, int folds) =>
        Assert.Equal(folds, AutoMlExperiment.AutomaticFolds(rows, 9, DataModality.Tabular, classes));

    [Fact]
    public void Four_hundred_digits_with_40_rows_per_class_are_cross_validated_with_ten_folds_twice() =>
        AssertTenFoldsTwice(OneTrial(ml => ml.Data.TakeRows(SampleDatasets.Digits(ml), 400), "label"));

    /// <summary>One L-BFGS trial with no time budget, on folds chosen automatically unless <paramref name="folds"/> is given.</summary>
    private static AutoMlResult OneTrial(Func<MLContext, IDataView> data, string label, int? folds = null)
    {
        var ml = new MLContext(1);
        var experiment = ml.AutoMl().CreateExperiment(data(ml), label).SetTrainers("lbfgs").SetTrainingTime(null).SetMaxTrials(1);
        experiment.Options.Folds = folds;
        return experiment.Run();
    }

    private static void AssertTenFoldsTwice(AutoMlResult result)
    {
        Assert.Equal((10, 2), (result.Folds, result.Repeats));
        Assert.Equal("2×10-fold cross-validation", result.Evaluation);
        Assert.Equal(20, Assert.Single(result.Trials).FoldValues.Count);
    }

    [Theory]
    [InlineData(DataModality.Images)]
    [InlineData(DataModality.Text)]
    public void Images_and_text_get_a_holdout_even_when_small(DataModality modality) =>
        Assert.Equal(1, AutoMlExperiment.AutomaticFolds(150, 9, modality));

    [Fact]
    public void A_wide_table_of_150_rows_gets_a_holdout_by_its_cell_count() =>
        Assert.Equal(1, AutoMlExperiment.AutomaticFolds(150, 2_000, DataModality.Tabular));

    [Fact]
    public void Iris_with_its_150_rows_is_cross_validated_with_ten_folds_twice() =>
        AssertTenFoldsTwice(OneTrial(ml => SampleDatasets.Iris(ml), "species"));

    [Theory]
    [InlineData(100, 10, 2, 2)]
    [InlineData(150, 10, 2, 2)]
    [InlineData(171, 10, 6, 2)]
    [InlineData(199, 10, 2, 2)]
    [InlineData(199, 10, 26, 1)]
    [InlineData(150, 5, 2, 1)]
    [InlineData(200, 10, 2, 1)]
    [InlineData(200, 5, 2, 2)]
    [InlineData(999, 5, 2, 2)]
    [InlineData(405, 5, 0, 2)]
    [InlineData(677, 5, 4, 2)]
    [InlineData(1_000, 5, 2, 1)]
    [InlineData(99, 5, 2, 1)]
    [InlineData(500, 1, 2, 1)]
    [InlineData(546, 5, 19, 1)]
    [InlineData(546, 10, 19, 1)]
    [InlineData(249, 10, 5, 2)]
    [InlineData(249, 5, 5, 1)]
    [InlineData(792, 5, 11, 1)]
    [InlineData(833, 5, 6, 2)]
    [InlineData(834, 5, 6, 1)]
    public void Tables_of_100_to_999_rows_get_their_automatic_folds_twice_unless_many_classes_make_trials_costly(long rows, int folds, int classes, int repeats) =>
        Assert.Equal(repeats, AutoMlExperiment.AutomaticRepeats(rows, folds, classes));

    [Fact]
    public void Breast_cancer_with_its_569_rows_is_cross_validated_twice_unless_the_user_chose_the_folds()
    {
        AutoMlResult Run(int? folds) => OneTrial(ml => SampleDatasets.BreastCancer(ml), "diagnosis", folds);

        var automatic = Run(null);
        Assert.Equal((5, 2), (automatic.Folds, automatic.Repeats));
        Assert.Equal(10, Assert.Single(automatic.Trials).FoldValues.Count);
        var chosen = Run(5);
        Assert.Equal((5, 1), (chosen.Folds, chosen.Repeats));
        // The first repeat is the plain 5-fold partition: the same fold scores.
        Assert.Equal(Assert.Single(chosen.Trials).FoldValues, automatic.Trials[0].FoldValues.Take(5));
    }

    [Fact]
    public void Repeated_cross_validation_scores_each_trial_on_every_repeat_and_says_so()
    {
        var ml = new MLContext(1);
        var experiment = ml.AutoMl().CreateExperiment(SampleDatasets.Wine(ml), "cultivar")
            .SetTrainers("lbfgs").SetCrossValidation(5).SetTrainingTime(null).SetMaxTrials(1);
        experiment.Options.Repeats = 2;

        var result = experiment.Run();

        Assert.Equal(5, result.Folds);
        Assert.Equal(2, result.Repeats);
        Assert.Equal("2×5-fold cross-validation", result.Evaluation);
        var trial = Assert.Single(result.Trials);
        Assert.Equal(10, trial.FoldValues.Count);
        Assert.Equal(trial.FoldValues.Average(), trial.Value!.Value, 12);
        // Out-of-fold predictions: one row of three class probabilities per wine, once per repeat.
        Assert.Equal(2 * 178 * 3, OutOfFoldPredictions.FromDiagnostics(trial.Diagnostics)!.Value.Values.Length);
    }
}
