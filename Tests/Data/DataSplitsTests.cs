using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;

namespace MlToolkit.Tests.Data;

public sealed class DataSplitsTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static List<string> Labels(IDataView view) => view.GetColumn<ReadOnlyMemory<char>>("species").Select(v => v.ToString()).ToList();

    [Fact]
    public void Stratified_train_test_keeps_class_proportions_and_covers_every_row_once()
    {
        var iris = SampleDatasets.Iris(_ml);
        var split = DataSplits.TrainTest(iris, 0.2, seed: 3, stratifyColumn: "species");
        var test = Labels(split.Test);
        var train = Labels(split.Train);
        Assert.Equal(30, test.Count);
        Assert.Equal(120, train.Count);
        Assert.All(test.GroupBy(l => l), g => Assert.Equal(10, g.Count()));
        Assert.Equal(30, split.Test.GetRowCount());

        var ids = split.Train.GetColumn<float>("sepal_length_cm").Concat(split.Test.GetColumn<float>("sepal_length_cm")).Order();
        Assert.Equal(iris.GetColumn<float>("sepal_length_cm").Order(), ids);
    }

    [Fact]
    public void A_spread_sample_takes_evenly_spaced_rows_from_first_to_last_and_all_rows_when_few()
    {
        var iris = SampleDatasets.Iris(_ml);
        var lengths = iris.GetColumn<float>("sepal_length_cm").ToList();

        var spread = DataSplits.Spread(iris, 4);
        Assert.Equal(4, spread.GetRowCount());
        Assert.Equal(new[] { 0, 37, 75, 112 }, ((RowSelectionView)spread).SelectedRows());
        Assert.Equal(new[] { lengths[0], lengths[37], lengths[75], lengths[112] }, spread.GetColumn<float>("sepal_length_cm"));

        Assert.Same(iris, DataSplits.Spread(iris, 150));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplits.Spread(iris, 0));
    }

    [Fact]
    public void Same_seed_same_split_other_seed_other_split()
    {
        var iris = SampleDatasets.Iris(_ml);
        var a = DataSplits.TrainTest(iris, 0.3, seed: 5).Test.GetColumn<float>("petal_length_cm").ToList();
        var b = DataSplits.TrainTest(iris, 0.3, seed: 5).Test.GetColumn<float>("petal_length_cm").ToList();
        var c = DataSplits.TrainTest(iris, 0.3, seed: 6).Test.GetColumn<float>("petal_length_cm").ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Stratified_k_fold_tests_each_row_exactly_once_with_balanced_classes()
    {
        var wine = SampleDatasets.Wine(_ml);
        var folds = DataSplits.KFold(wine, 5, seed: 1, stratifyColumn: "cultivar");
        Assert.Equal(5, folds.Count);
        var tested = folds.SelectMany(f => f.Test.GetColumn<float>("proline").Zip(f.Test.GetColumn<float>("alcohol"))).ToList();
        Assert.Equal(178, tested.Count);
        Assert.Equal(wine.GetColumn<float>("proline").Zip(wine.GetColumn<float>("alcohol")).Order(), tested.Order());
        foreach (var fold in folds)
        {
            Assert.InRange(fold.Test.GetRowCount()!.Value, 35, 36);
            Assert.Equal(178 - fold.Test.GetRowCount(), fold.Train.GetRowCount());
        }
        // Each class is dealt evenly: its count in any two folds differs by at most one.
        var perFold = folds.Select(f => f.Test.GetColumn<ReadOnlyMemory<char>>("cultivar").GroupBy(v => v.ToString()).ToDictionary(g => g.Key, g => g.Count())).ToList();
        foreach (var cultivar in perFold[0].Keys)
        {
            var counts = perFold.Select(f => f[cultivar]).ToList();
            Assert.True(counts.Max() - counts.Min() <= 1, $"{cultivar}: {string.Join(",", counts)}");
        }
    }

    [Fact]
    public void Repeated_k_fold_tests_each_row_once_per_repeat_and_starts_with_the_plain_k_fold()
    {
        var wine = SampleDatasets.Wine(_ml);
        static List<float[]> Tested(IEnumerable<DataSplit> splits) => splits.Select(f => f.Test.GetColumn<float>("proline").ToArray()).ToList();
        var repeated = DataSplits.RepeatedKFold(wine, 5, 2, seed: 1, stratifyColumn: "cultivar");

        Assert.Equal(10, repeated.Count);
        Assert.Equal(Tested(DataSplits.KFold(wine, 5, seed: 1, stratifyColumn: "cultivar")), Tested(repeated.Take(5)));
        var all = wine.GetColumn<float>("proline").Order().ToList();
        Assert.Equal(all, Tested(repeated.Take(5)).SelectMany(f => f).Order());
        Assert.Equal(all, Tested(repeated.Skip(5)).SelectMany(f => f).Order());
        // The second repeat is a new shuffle, not the first one again.
        Assert.NotEqual(Tested(repeated.Take(5)), Tested(repeated.Skip(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplits.RepeatedKFold(wine, 5, 0, seed: 1));
    }

    [Fact]
    public void Grouped_k_fold_never_splits_a_group()
    {
        var iris = SampleDatasets.Iris(_ml);
        var folds = DataSplits.KFold(iris, 3, seed: 2, groupColumn: "species");
        foreach (var fold in folds)
        {
            var testGroups = Labels(fold.Test).ToHashSet();
            var trainGroups = Labels(fold.Train).ToHashSet();
            Assert.Single(testGroups);
            Assert.Empty(testGroups.Intersect(trainGroups));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplits.KFold(iris, 4, seed: 2, groupColumn: "species"));
    }
}
