using MlToolkit.Data;
using MlToolkit.Experiments.Ensembles;

namespace MlToolkit.Tests.Experiments;

/// <summary>
/// Ensemble selection on a squared-error loss picks each member through <see cref="SquaredErrorChoice"/>'s expansion;
/// it must pick exactly what scoring every candidate blend picks.
/// </summary>
public sealed class SquaredErrorChoiceTests
{
    [Theory]
    [InlineData(PredictionTask.MulticlassClassification, OutOfFoldMetric.Brier, 5)]
    [InlineData(PredictionTask.BinaryClassification, OutOfFoldMetric.Brier, 1)]
    [InlineData(PredictionTask.Regression, "r_squared", 1)]
    [InlineData(PredictionTask.Regression, "rmse", 1)]
    [InlineData(PredictionTask.Regression, "mse", 1)]
    public void Selection_through_the_expansion_picks_the_same_members_as_scoring_every_blend(PredictionTask task, string metricName, int width)
    {
        var (labels, candidates) = Candidates(task, rows: 300, width, count: 24, seed: 3);
        var metric = new OutOfFoldMetric(task, metricName, labels);

        var fast = EnsembleSelection.Select(candidates, metric, width, rounds: 25, squaredErrorShortcut: true);
        var scored = EnsembleSelection.Select(candidates, metric, width, rounds: 25, squaredErrorShortcut: false);

        Assert.Equal(scored.Counts, fast.Counts);
        Assert.Equal(scored.Loss, fast.Loss);
        Assert.Equal(scored.BestSingleLoss, fast.BestSingleLoss);
        Assert.True(fast.Counts.Count >= 2, $"a blend of {fast.Counts.Count}: the case must exercise more than the best single candidate");
        Assert.Equal(EnsembleSelection.SelectBagged(candidates, metric, width, 25, 20, seed: 1, squaredErrorShortcut: false),
            EnsembleSelection.SelectBagged(candidates, metric, width, 25, 20, seed: 1, squaredErrorShortcut: true));
    }

    [Theory]
    [InlineData(PredictionTask.MulticlassClassification, "accuracy")]
    [InlineData(PredictionTask.MulticlassClassification, "log_loss")]
    [InlineData(PredictionTask.BinaryClassification, "auc")]
    [InlineData(PredictionTask.BinaryClassification, "f1")]
    [InlineData(PredictionTask.Regression, "mae")]
    public void Metrics_that_are_not_squared_errors_have_no_targets_and_score_every_blend(PredictionTask task, string metricName) =>
        Assert.Null(new OutOfFoldMetric(task, metricName, new float[] { 0, 1 }).SquaredErrorTargets(task == PredictionTask.MulticlassClassification ? 2 : 1));

    /// <summary>
    /// Candidates of varied quality around one truth, in the task's value ranges (class probabilities from soft to sharp,
    /// or values near the label), with two exact copies of one candidate, so that ties are broken the same way too.
    /// </summary>
    private static (float[] Labels, List<EnsembleCandidate> Candidates) Candidates(PredictionTask task, int rows, int width, int count, int seed)
    {
        var random = new Random(seed);
        var classes = task == PredictionTask.MulticlassClassification ? width : 2;
        var labels = Enumerable.Range(0, rows).Select(_ => task == PredictionTask.Regression ? (float)(random.NextDouble() * 50) : random.Next(classes)).ToArray();
        float[] Candidate(double noise, double sharpness)
        {
            var values = new float[rows * width];
            for (var r = 0; r < rows; r++)
            {
                if (task == PredictionTask.Regression)
                    values[r] = labels[r] + (float)(noise * 20 * (random.NextDouble() - 0.5));
                else if (task == PredictionTask.BinaryClassification)
                    values[r] = (float)Math.Clamp(labels[r] * 0.7 + 0.15 + noise * (random.NextDouble() - 0.5), 0, 1);
                else
                {
                    var scores = Enumerable.Range(0, width).Select(c => Math.Exp(sharpness * ((c == labels[r] ? 1.5 : 0) + 3 * noise * random.NextDouble()))).ToArray();
                    for (var c = 0; c < width; c++)
                        values[r * width + c] = (float)(scores[c] / scores.Sum());
                }
            }
            return values;
        }
        var candidates = Enumerable.Range(0, count).Select(n => new EnsembleCandidate(n, Candidate(0.4 + n % 6 * 0.2, 0.5 + n % 4 * 0.5))).ToList();
        candidates.Add(candidates[5] with { TrialNumber = count });
        candidates.Add(candidates[5] with { TrialNumber = count + 1 });
        return (labels, candidates);
    }
}
