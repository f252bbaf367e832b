using MlToolkit.Data;
using MlToolkit.Experiments.Ensembles;

namespace MlToolkit.Tests.Experiments;

/// <summary>The losses ensemble selection computes on stored out-of-fold values, checked by hand on a few rows.</summary>
public sealed class OutOfFoldMetricTests
{
    [Fact]
    public void The_multiclass_brier_score_sums_the_squared_gaps_to_the_one_hot_label_and_averages_the_rows()
    {
        var metric = new OutOfFoldMetric(PredictionTask.MulticlassClassification, OutOfFoldMetric.Brier, new float[] { 0, 2 });
        double[] probabilities = { 0.7, 0.2, 0.1, 0.5, 0.5, 0 };
        // Row 1: 0.3² + 0.2² + 0.1² = 0.14; row 2: 0.5² + 0.5² + 1² = 1.5.
        Assert.Equal((0.14 + 1.5) / 2, metric.Loss(probabilities, 3), 12);
    }

    [Fact]
    public void The_binary_brier_score_is_the_mean_squared_gap_to_the_label_and_a_confident_mistake_costs_at_most_one()
    {
        var brier = new OutOfFoldMetric(PredictionTask.BinaryClassification, OutOfFoldMetric.Brier, new float[] { 1, 0, 1 });
        var logLoss = new OutOfFoldMetric(PredictionTask.BinaryClassification, "log_loss", new float[] { 1, 0, 1 });
        double[] probabilities = { 0.9, 0.2, 0 };
        Assert.Equal((0.01 + 0.04 + 1) / 3, brier.Loss(probabilities, 1), 12);
        Assert.Equal((-Math.Log(0.9) - Math.Log(0.8) - Math.Log(1e-15)) / 3, logLoss.Loss(probabilities, 1), 9);
    }
}
