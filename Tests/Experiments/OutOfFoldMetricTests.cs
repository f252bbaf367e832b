using Microsoft.ML;
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
        Assert.Equal((-Math.Log2(0.9) - Math.Log2(0.8) - Math.Log2(1e-15)) / 3, logLoss.Loss(probabilities, 1), 9);
    }

    [Fact]
    public void Log_loss_is_in_the_units_of_ml_net_s_evaluators_bits_for_binary_and_nats_for_multiclass()
    {
        // The leaderboard shows ML.NET's figures; the baseline and ensemble lines beside it show these.
        float[] probabilities = { 0.9f, 0.2f, 0.6f, 0.35f };
        float[] labels = { 1, 0, 0, 1 };
        var context = new MLContext(seed: 1);
        var rows = context.Data.LoadFromEnumerable(probabilities.Select((p, i) =>
            new BinaryRow { Label = labels[i] > 0, Score = p - 0.5f, Probability = p, PredictedLabel = p > 0.5f }));
        var mlNet = context.BinaryClassification.Evaluate(rows).LogLoss;
        var ours = new OutOfFoldMetric(PredictionTask.BinaryClassification, "log_loss", labels).Loss(probabilities.Select(p => (double)p).ToArray(), 1);
        Assert.Equal(mlNet, ours, 6);

        // Multiclass in nats, as ML.NET's multiclass evaluator (the iris leaderboard and baseline lines agree on it).
        double[] classProbabilities = { 0.7, 0.2, 0.1, 0.3, 0.5, 0.2 };
        var multiclass = new OutOfFoldMetric(PredictionTask.MulticlassClassification, "log_loss", new float[] { 0, 2 });
        Assert.Equal((-Math.Log(0.7) - Math.Log(0.2)) / 2, multiclass.Loss(classProbabilities, 3), 12);
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }
}
