using MlToolkit.Data;

namespace MlToolkit.Experiments.Ensembles;

/// <summary>
/// The experiment's metric computed directly on out-of-fold prediction values (see
/// <see cref="AutoMl.OutOfFoldPredictions"/>), as a loss to minimize: fast enough to score hundreds of candidate blends.
/// </summary>
public sealed class OutOfFoldMetric
{
    private readonly PredictionTask _task;
    private readonly string _metric;
    private readonly float[] _labels;

    /// <summary>The metric <paramref name="metric"/> against <paramref name="labels"/>: class index, 0/1, or value per row.</summary>
    /// <exception cref="ArgumentException">The metric is not one this class computes.</exception>
    public OutOfFoldMetric(PredictionTask task, string metric, float[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!Supports(task, metric))
            throw new ArgumentException($"Ensemble selection cannot compute {metric} for {task}.", nameof(metric));
        (_task, _metric, _labels) = (task, metric, labels);
    }

    /// <summary>Whether ensembles can be selected on <paramref name="metric"/>.</summary>
    public static bool Supports(PredictionTask task, string metric) => task switch
    {
        PredictionTask.MulticlassClassification => metric is "accuracy" or "macro_accuracy" or "log_loss" or Brier,
        PredictionTask.BinaryClassification => metric is "accuracy" or "auc" or "f1" or "log_loss" or Brier,
        _ => metric is "r_squared" or "rmse" or "mae" or "mse",
    };

    /// <summary>
    /// The Brier score: the mean squared distance between the predicted class probabilities and the one-hot label.
    /// Proper like log-loss, but bounded, so one confident mistake (a forest's 0/1 vote, a kernel ridge output) does
    /// not outweigh many right rows.
    /// </summary>
    public const string Brier = "brier";

    /// <summary>The metric's name.</summary>
    public string Name => _metric;

    /// <summary>Rows.</summary>
    public int Rows => _labels.Length;

    /// <summary>The loss of <paramref name="values"/> (rows × width): lower is better; the negated metric when higher is better.</summary>
    public double Loss(ReadOnlySpan<double> values, int width) => _task switch
    {
        PredictionTask.MulticlassClassification => Multiclass(values, width),
        PredictionTask.BinaryClassification => Binary(values),
        _ => Regression(values),
    };

    /// <summary>
    /// The values (rows × <paramref name="width"/>) whose sum of squared differences from a blend this loss grows with,
    /// when it does: the one-hot label for the Brier score, the label for MSE, RMSE and R²; otherwise null.
    /// </summary>
    internal double[]? SquaredErrorTargets(int width)
    {
        switch (_task)
        {
            case PredictionTask.MulticlassClassification when _metric == Brier:
                var oneHot = new double[_labels.Length * width];
                for (var i = 0; i < _labels.Length; i++)
                    oneHot[i * width + (int)_labels[i]] = 1;
                return oneHot;
            case PredictionTask.BinaryClassification when _metric == Brier:
            case PredictionTask.Regression when _metric is "mse" or "rmse" or "r_squared":
                return _labels.Select(l => (double)l).ToArray();
            default:
                return null;
        }
    }

    private double Multiclass(ReadOnlySpan<double> p, int width)
    {
        if (_metric == Brier)
            return MulticlassBrier(p, width);
        double correct = 0, logLoss = 0;
        var perClass = new double[width];
        var perClassRight = new double[width];
        // Selection scores hundreds of blends: each per-row term only when it is the metric asked for.
        var logLossAsked = _metric == "log_loss";
        for (var i = 0; i < _labels.Length; i++)
        {
            var row = p.Slice(i * width, width);
            var label = (int)_labels[i];
            var predicted = 0;
            for (var c = 1; c < width; c++)
                if (row[c] > row[predicted])
                    predicted = c;
            var right = predicted == label ? 1 : 0;
            correct += right;
            perClass[label]++;
            perClassRight[label] += right;
            if (logLossAsked)
                logLoss -= Math.Log(Math.Max(row[label], 1e-15));
        }
        return _metric switch
        {
            "accuracy" => -correct / _labels.Length,
            "macro_accuracy" => -Enumerable.Range(0, width).Where(c => perClass[c] > 0).Average(c => perClassRight[c] / perClass[c]),
            _ => logLoss / _labels.Length,
        };
    }

    // Its own loop: selection scores every round's blend on it, and it needs neither the argmax nor the per-class counts.
    private double MulticlassBrier(ReadOnlySpan<double> p, int width)
    {
        double brier = 0;
        for (var i = 0; i < _labels.Length; i++)
        {
            var label = (int)_labels[i];
            for (var c = 0; c < width; c++)
            {
                var gap = p[i * width + c] - (c == label ? 1 : 0);
                brier += gap * gap;
            }
        }
        return brier / _labels.Length;
    }

    private double Binary(ReadOnlySpan<double> p)
    {
        switch (_metric)
        {
            case "auc":
                return -Auc(p);
            case "log_loss":
                // In bits, as ML.NET's binary evaluator reports it on the leaderboard (its multiclass one uses nats).
                double loss = 0;
                for (var i = 0; i < _labels.Length; i++)
                    loss -= Math.Log2(Math.Max(_labels[i] > 0.5 ? p[i] : 1 - p[i], 1e-15));
                return loss / _labels.Length;
            case Brier:
                double squared = 0;
                for (var i = 0; i < _labels.Length; i++)
                    squared += (p[i] - _labels[i]) * (p[i] - _labels[i]);
                return squared / _labels.Length;
        }
        double tp = 0, fp = 0, fn = 0, right = 0;
        for (var i = 0; i < _labels.Length; i++)
        {
            bool actual = _labels[i] > 0.5, predicted = p[i] > 0.5;
            right += actual == predicted ? 1 : 0;
            tp += actual && predicted ? 1 : 0;
            fp += !actual && predicted ? 1 : 0;
            fn += actual && !predicted ? 1 : 0;
        }
        return _metric == "f1" ? -(tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn)) : -right / _labels.Length;
    }

    private double Auc(ReadOnlySpan<double> p)
    {
        var scores = p[.._labels.Length].ToArray();
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        // Mann–Whitney U with average ranks for ties.
        double positives = 0, rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
                end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (_labels[order[k]] > 0.5)
                {
                    positives++;
                    rankSum += rank;
                }
            }
            start = end + 1;
        }
        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0 ? 0.5 : (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    private double Regression(ReadOnlySpan<double> y)
    {
        double squared = 0, absolute = 0, mean = _labels.Average(l => (double)l), total = 0;
        for (var i = 0; i < _labels.Length; i++)
        {
            var error = y[i] - _labels[i];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (_labels[i] - mean) * (_labels[i] - mean);
        }
        var n = _labels.Length;
        return _metric switch
        {
            "r_squared" => -(1 - squared / Math.Max(total, 1e-300)),
            "rmse" => Math.Sqrt(squared / n),
            "mae" => absolute / n,
            _ => squared / n,
        };
    }
}
