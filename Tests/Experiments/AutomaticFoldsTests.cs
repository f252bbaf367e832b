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
    [InlineData(DataModality.Images)]
    [InlineData(DataModality.Text)]
    public void Images_and_text_get_a_holdout_even_when_small(DataModality modality) =>
        Assert.Equal(1, AutoMlExperiment.AutomaticFolds(150, 9, modality));

    [Fact]
    public void A_wide_table_of_150_rows_gets_a_holdout_by_its_cell_count() =>
        Assert.Equal(1, AutoMlExperiment.AutomaticFolds(150, 2_000, DataModality.Tabular));

    [Fact]
    public void Iris_with_its_150_rows_is_cross_validated_with_ten_folds()
    {
        var ml = new MLContext(1);
        var result = ml.AutoMl().CreateExperiment(SampleDatasets.Iris(ml), "species")
            .SetTrainers("lbfgs").SetTrainingTime(null).SetMaxTrials(1).Run();

        Assert.Equal(10, result.Folds);
        Assert.Equal(10, Assert.Single(result.Trials).FoldValues.Count);
    }
}
