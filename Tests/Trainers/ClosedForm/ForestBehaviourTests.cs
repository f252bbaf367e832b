using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Forests;

namespace MlToolkit.Tests.Trainers.ClosedForm;

/// <summary>What is particular to the forest: its binning, how deep its trees grow, and the extra-trees variant.</summary>
[Collection(TorchCollection.Name)]
public sealed class ForestBehaviourTests
{
    private static readonly TorchTestData.Prepared Digits = TorchTestData.Digits;

    [Fact]
    public void A_feature_with_few_distinct_values_gets_one_bin_per_value_and_cuts_halfway_between_them()
    {
        var bins = FeatureBins.From(new[] { 3f, 1f, 2f, 2f, 7f }, rows: 5, featureCount: 1, CancellationToken.None);
        Assert.Equal(4, bins.BinCount(0));
        Assert.Equal(new[] { 1.5f, 2.5f, 5f }, Enumerable.Range(0, 3).Select(b => bins.Cut(0, b)));
        Assert.Equal(new byte[] { 2, 0, 1, 1, 3 }, bins.Binned[0]);
    }

    [Fact]
    public void A_tree_cuts_halfway_between_the_values_its_own_rows_hold_not_just_above_its_left_side()
    {
        // Five rows binned together; the tree grows on rows 0, 1, 3 and 4 (as a bootstrap sample may), which never
        // see the value 2: its cut lies halfway between 1 and 9, not at the bins' fixed 1.5 between 1 and 2.
        var bins = FeatureBins.From(new[] { 0f, 1f, 2f, 9f, 10f }, rows: 5, featureCount: 1, CancellationToken.None);
        var targets = ForestTargets.From(new double[] { 1, 0, 1, 0, 0, 1, 0, 1, 0, 1 }, outputs: 2, oneHot: true);
        var grower = new TreeGrower(bins, targets, new TreeSettings(FeaturesPerSplit: 1, MinLeafRows: 1, MaxDepth: null, RandomSplits: false), new Random(1));
        var tree = grower.Grow(new[] { 0, 1, 3, 4 }, new[] { 1, 1, 0, 1, 1 }, CancellationToken.None);
        Assert.Equal(3, tree.Count);
        Assert.Equal(0, tree.Feature[0]);
        Assert.Equal(5f, tree.Threshold[0]);
        Assert.Equal(1.5f, bins.Cut(0, 1));
    }

    [Fact]
    public void A_feature_with_many_distinct_values_gets_255_bins_of_about_equal_counts()
    {
        var values = Enumerable.Range(0, 2550).Select(i => i * 0.5f).Reverse().ToArray();
        var bins = FeatureBins.From(values, rows: values.Length, featureCount: 1, CancellationToken.None);
        Assert.Equal(FeatureBins.MaxBins, bins.BinCount(0));
        Assert.All(bins.Binned[0].CountBy(b => b), bin => Assert.Equal(10, bin.Value));
        // Every value lies on the side of each cut that its bin says.
        for (var r = 0; r < values.Length; r++)
            Assert.True(bins.Binned[0][r] == 0 || values[r] > bins.Cut(0, bins.Binned[0][r] - 1));
    }

    [Fact]
    public void One_extra_tree_on_every_feature_grows_until_it_gives_back_every_training_label()
    {
        var options = new ForestTrainer.Options { Kind = ForestKind.ExtraTrees, Trees = 1, SplitFeatures = SplitFeatures.All };
        var model = Digits.Ml.MulticlassClassification.Trainers.Forest(options).Fit(Digits.Train);
        Assert.Equal(1.0, Digits.Ml.MulticlassClassification.Evaluate(model.Transform(Digits.Train)).MicroAccuracy);
    }

    [Fact]
    public void Max_depth_bounds_every_tree_and_costs_accuracy()
    {
        var model = Digits.Ml.MulticlassClassification.Trainers.Forest(new ForestTrainer.Options { MaxDepth = 3 }).Fit(Digits.Train);
        Assert.Equal(3, ((ForestArchitecture)model.Network.Architecture).Depth);
        var accuracy = Digits.Ml.MulticlassClassification.Evaluate(model.Transform(Digits.Test)).MicroAccuracy;
        Measured.AtMost(accuracy, 0.89, 0.8719, "100 trees of depth 3, digits held out (the full forest: 0.9861)");
    }

    [Fact]
    public void A_row_scores_the_same_alone_as_among_many()
    {
        // 359 held-out digits are walked in blocks of 64 rows on several threads; one row alone on one.
        var model = Digits.Ml.MulticlassClassification.Trainers.Forest().Fit(Digits.Train);
        var together = model.Transform(Digits.Test).GetColumn<float[]>("Score").ToArray();
        var alone = Enumerable.Range(0, together.Length)
            .Select(i => model.Transform(Digits.Ml.Data.TakeRows(i == 0 ? Digits.Test : Digits.Ml.Data.SkipRows(Digits.Test, i), 1)).GetColumn<float[]>("Score").Single()).ToArray();
        Assert.Equal(359, together.Length);
        Assert.All(Enumerable.Range(0, together.Length), i => Assert.Equal(together[i], alone[i]));
    }

    [Fact]
    public void Extra_trees_reach_at_least_the_random_forest_on_digits()
    {
        var model = Digits.Ml.MulticlassClassification.Trainers.Forest(kind: ForestKind.ExtraTrees).Fit(Digits.Train);
        var accuracy = Digits.Ml.MulticlassClassification.Evaluate(model.Transform(Digits.Test)).MicroAccuracy;
        Measured.AtLeast(accuracy, 0.99, 0.9916, "extra-trees (100), digits held out (the random forest: 0.9861)");
    }
}
