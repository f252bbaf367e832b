using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlToolkit.Models.Evaluation;

/// <summary>
/// Binary metrics of scored rows that all hold one class, which ML.NET's evaluator refuses outright because its AUC needs
/// both. A test file of new cases of one class, or a validation fold of a tiny table, is still a fair thing to score:
/// accuracy, F1, precision and recall (as ML.NET defines them, 0 where a ratio has nothing to count) and log-loss are
/// computed here, and AUC is NaN, undefined, rather than a crash that hides the others.
/// </summary>
internal static class SingleClassBinaryMetrics
{
    // ML.NET clamps probabilities to this before taking their log-loss.
    private const double Epsilon = 1e-15;

    /// <summary>Whether the <c>Label</c> column of <paramref name="scored"/> holds fewer than two distinct values.</summary>
    public static bool Applies(IDataView scored) => scored.GetColumn<bool>(scored.Schema["Label"]).Distinct().Take(2).Count() < 2;

    /// <summary>accuracy, auc (NaN), f1, precision, recall and, when <paramref name="calibrated"/>, log_loss: the order of ML.NET's evaluators.</summary>
    public static List<KeyValuePair<string, double>> Compute(IDataView scored, bool calibrated)
    {
        var columns = new[] { scored.Schema["Label"], scored.Schema["PredictedLabel"] }
            .Concat(calibrated ? new[] { scored.Schema["Probability"] } : Array.Empty<DataViewSchema.Column>()).ToList();
        long truePositive = 0, falsePositive = 0, falseNegative = 0, correct = 0, rows = 0;
        var logLoss = 0.0;
        using (var cursor = scored.GetRowCursor(columns))
        {
            var label = cursor.GetGetter<bool>(columns[0]);
            var predicted = cursor.GetGetter<bool>(columns[1]);
            var probability = calibrated ? cursor.GetGetter<float>(columns[2]) : null;
            bool isPositive = false, saysPositive = false;
            float p = 0;
            while (cursor.MoveNext())
            {
                label(ref isPositive);
                predicted(ref saysPositive);
                rows++;
                correct += isPositive == saysPositive ? 1 : 0;
                truePositive += isPositive && saysPositive ? 1 : 0;
                falsePositive += !isPositive && saysPositive ? 1 : 0;
                falseNegative += isPositive && !saysPositive ? 1 : 0;
                if (probability is null)
                    continue;
                probability(ref p);
                logLoss -= Math.Log(Math.Max(isPositive ? p : 1 - p, Epsilon), 2);
            }
        }
        double Ratio(long part, long whole) => whole > 0 ? (double)part / whole : 0;
        var precision = Ratio(truePositive, truePositive + falsePositive);
        var recall = Ratio(truePositive, truePositive + falseNegative);
        var metrics = new List<KeyValuePair<string, double>>
        {
            new("accuracy", Ratio(correct, rows)),
            new("auc", double.NaN),
            new("f1", precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0),
            new("precision", precision),
            new("recall", recall),
        };
        if (calibrated)
            metrics.Add(new("log_loss", rows > 0 ? logLoss / rows : double.NaN));
        return metrics;
    }
}
