using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.ML.Data;

namespace MlToolkit.Models.Evaluation;

/// <summary>HTML tables of evaluation results, for notebooks and reports: ours and ML.NET's metrics objects.</summary>
public static class MetricsHtml
{
    /// <summary>A two-column table of <paramref name="report"/>'s metrics, with the rows evaluated in its caption.</summary>
    public static string Of(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Table($"{report.Task}, {report.Rows.ToString(CultureInfo.InvariantCulture)} rows", report.Metrics);
    }

    /// <summary>ML.NET's multiclass metrics as a table, followed by the confusion matrix.</summary>
    public static string Of(MulticlassClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Table("multiclass classification", new Dictionary<string, double>
        {
            ["micro_accuracy"] = metrics.MicroAccuracy,
            ["macro_accuracy"] = metrics.MacroAccuracy,
            ["log_loss"] = metrics.LogLoss,
            ["log_loss_reduction"] = metrics.LogLossReduction,
        }) + Of(metrics.ConfusionMatrix);
    }

    /// <summary>ML.NET's binary metrics as a table, followed by the confusion matrix.</summary>
    public static string Of(CalibratedBinaryClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Table("binary classification", new Dictionary<string, double>
        {
            ["accuracy"] = metrics.Accuracy,
            ["auc"] = metrics.AreaUnderRocCurve,
            ["f1"] = metrics.F1Score,
            ["precision"] = metrics.PositivePrecision,
            ["recall"] = metrics.PositiveRecall,
            ["log_loss"] = metrics.LogLoss,
        }) + Of(metrics.ConfusionMatrix);
    }

    /// <summary>ML.NET's regression metrics as a table.</summary>
    public static string Of(RegressionMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Table("regression", new Dictionary<string, double>
        {
            ["r_squared"] = metrics.RSquared,
            ["rmse"] = metrics.RootMeanSquaredError,
            ["mae"] = metrics.MeanAbsoluteError,
            ["mse"] = metrics.MeanSquaredError,
        });
    }

    /// <summary>
    /// Counts by true class (rows) and predicted class (columns), each cell shaded by its share of its row, with each
    /// class's recall and precision; classes are named <paramref name="classes"/> when given, else by index.
    /// </summary>
    public static string Of(ConfusionMatrix matrix, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = matrix.NumberOfClasses;
        string Name(int c) => WebUtility.HtmlEncode(classes is not null && c < classes.Count ? classes[c] : c.ToString(CultureInfo.InvariantCulture));
        var html = new StringBuilder("<table class=\"confusion-matrix\"><caption>Confusion matrix: true class (rows) × predicted class (columns)</caption><tr><th></th>");
        for (var c = 0; c < n; c++)
            html.Append(CultureInfo.InvariantCulture, $"<th>{Name(c)}</th>");
        html.Append("<th>recall</th></tr>\n");
        for (var truth = 0; truth < n; truth++)
        {
            var total = Math.Max(1, matrix.Counts[truth].Sum());
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Name(truth)}</th>");
            for (var predicted = 0; predicted < n; predicted++)
            {
                var count = matrix.Counts[truth][predicted];
                html.Append(CultureInfo.InvariantCulture, $"<td style=\"background:rgba(31,119,180,{count / total:0.00})\">{count:0}</td>");
            }
            html.Append(CultureInfo.InvariantCulture, $"<td>{matrix.PerClassRecall[truth]:0.0000}</td></tr>\n");
        }
        html.Append("<tr><th>precision</th>");
        foreach (var precision in matrix.PerClassPrecision)
            html.Append(CultureInfo.InvariantCulture, $"<td>{precision:0.0000}</td>");
        return html.Append("<td></td></tr></table>").ToString();
    }

    private static string Table(string caption, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        var html = new StringBuilder($"<table class=\"metrics\"><caption>{WebUtility.HtmlEncode(caption)}</caption><tr><th>metric</th><th>value</th></tr>\n");
        foreach (var (name, value) in metrics)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(name)}</td><td>{value:0.0000}</td></tr>\n");
        return html.Append("</table>").ToString();
    }
}
