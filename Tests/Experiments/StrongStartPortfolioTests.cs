using MlToolkit.Data;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Candidates;

namespace MlToolkit.Tests.Experiments;

/// <summary>The portfolio is data: which starts run, with which settings, in which order, for a given shape of data.</summary>
public sealed class StrongStartPortfolioTests
{
    private static List<string> Order(PredictionTask task, long rows, DataModality modality = DataModality.Tabular) =>
        StrongStartPortfolio.For(CandidateCatalog.Defaults(task), task, new DataShape(rows, task == PredictionTask.Regression ? 0 : 10, modality))
            .Select(s => $"{s.Candidate.Name} {s.Parameters}").ToList();

    [Fact]
    public void On_a_small_table_the_starts_run_cheapest_first_with_the_exact_kernel_before_the_trees()
    {
        Assert.Equal(new[]
        {
            "lbfgs l1=1e-5, l2=0.1",
            "lbfgs l1=1e-5, l2=1",
            "knn neighbors=5, weighting=distance",
            "knn neighbors=10, weighting=distance",
            "kernel regularization=0.1, gamma_scale=1",
            "kernel regularization=0.01, gamma_scale=1",
            "lightgbm iterations=100, leaves=31, min_leaf_examples=20, learning_rate=0.1, feature_fraction=1, subsample=1, l1=9.766e-4, l2=0.01",
            "forest kind=random_forest, trees=100, max_features=sqrt, min_leaf=1",
            "forest kind=extra_trees, trees=100, max_features=sqrt, min_leaf=1",
            "lightgbm iterations=300, leaves=31, min_leaf_examples=10, learning_rate=0.05, feature_fraction=0.7, subsample=0.8, l1=9.766e-4, l2=0.1",
            "mlp learning_rate=0.001, batch_size=32, epochs=30, weight_decay=1e-5, optimizer=adam, width=256, depth=2, dropout=0.2",
        }, Order(PredictionTask.MulticlassClassification, 1_500));
    }

    [Fact]
    public void Exact_neighbours_start_as_cheap_as_a_logistic_regression_up_to_10000_rows_and_after_the_trees_beyond()
    {
        Assert.Equal(2, Order(PredictionTask.MulticlassClassification, NearestNeighborsCandidate.CheapUpToRows).IndexOf("knn neighbors=5, weighting=distance"));
        var large = Order(PredictionTask.MulticlassClassification, NearestNeighborsCandidate.CheapUpToRows + 1);
        Assert.True(large.IndexOf("knn neighbors=5, weighting=distance") > large.IndexOf("forest kind=extra_trees, trees=100, max_features=sqrt, min_leaf=1"), string.Join(" | ", large));
    }

    [Fact]
    public void Text_keeps_the_lighter_logistic_penalty_alone()
    {
        var linear = Order(PredictionTask.BinaryClassification, 1_500, DataModality.Text).Where(s => s.StartsWith("lbfgs", StringComparison.Ordinal));
        Assert.Equal(new[] { "lbfgs l1=1e-5, l2=0.1" }, linear);
    }

    [Fact]
    public void Text_runs_the_mlp_and_the_sequence_models_by_default_and_leaves_the_mlp_start_to_the_tuner()
    {
        Assert.Equal(new[] { "lbfgs", "sdca", "mlp", "lstm", "transformer" },
            CandidateCatalog.Defaults(PredictionTask.BinaryClassification, DataModality.Text).Select(c => c.Name));
        var starts = StrongStartPortfolio.For(CandidateCatalog.Defaults(PredictionTask.BinaryClassification, DataModality.Text), PredictionTask.BinaryClassification,
            new DataShape(2_000, 2, DataModality.Text)).Select(s => s.Candidate.Name).Distinct();
        Assert.DoesNotContain("mlp", starts);
    }

    [Fact]
    public void On_a_large_regression_table_the_exact_kernel_and_neighbours_rank_after_the_trees_and_the_mlp_is_left_to_the_tuner()
    {
        Assert.Equal(new[]
        {
            "lightgbm iterations=100, leaves=31, min_leaf_examples=20, learning_rate=0.1, feature_fraction=1, subsample=1, l1=9.766e-4, l2=0.01",
            "forest kind=random_forest, trees=100, max_features=all, min_leaf=1",
            "forest kind=extra_trees, trees=100, max_features=all, min_leaf=1",
            "kernel regularization=1, gamma_scale=1",
            "kernel regularization=0.1, gamma_scale=1",
            "knn neighbors=5, weighting=distance",
            "knn neighbors=10, weighting=distance",
            "lightgbm iterations=300, leaves=31, min_leaf_examples=10, learning_rate=0.05, feature_fraction=0.7, subsample=0.8, l1=9.766e-4, l2=0.1",
        }, Order(PredictionTask.Regression, 50_000));
    }
}
