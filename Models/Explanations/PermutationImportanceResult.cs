using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MlToolkit.Models.Explanations;

/// <summary>How much one input column matters.</summary>
/// <param name="Column">The raw input column.</param>
/// <param name="Importance">Mean loss of quality in the chosen metric when the column is shuffled (positive: it matters).</param>
/// <param name="StandardError">Standard error of that mean over the repeats.</param>
/// <param name="MetricChanges">Mean change of every metric (permuted − baseline).</param>
public sealed record ColumnImportance(string Column, double Importance, double StandardError, IReadOnlyDictionary<string, double> MetricChanges);

/// <summary>Permutation feature importance of every input column, most important first.</summary>
/// <param name="Metric">The metric importance is measured in.</param>
/// <param name="HigherIsBetter">Its direction.</param>
/// <param name="Baseline">Its value on the unshuffled rows.</param>
/// <param name="Rows">Rows used.</param>
/// <param name="Repeats">Shuffles per column.</param>
/// <param name="Columns">Columns, most important first.</param>
public sealed record PermutationImportanceResult(string Metric, bool HigherIsBetter, double Baseline, long Rows, int Repeats, IReadOnlyList<ColumnImportance> Columns)
{
    /// <summary>A text table.</summary>
    public string ToText(int top = 20)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Permutation importance: loss of {Metric} (baseline {Baseline:0.####}) over {Repeats} shuffles of {Rows:N0} rows"));
        foreach (var column in Columns.Take(top))
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {column.Importance,9:+0.0000;-0.0000} ± {column.StandardError:0.0000}  {column.Column}"));
        return text.ToString();
    }

    /// <summary>An HTML table of the <paramref name="top"/> most important columns (for notebooks and reports).</summary>
    public string ToHtml(int top = 20)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<table><caption>Loss of {Metric} when a column is shuffled (baseline {Baseline:0.####}, {Repeats} shuffles of {Rows:N0} rows)</caption><tr><th>column</th><th>importance</th><th>± standard error</th></tr>");
        foreach (var column in Columns.Take(top))
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{System.Net.WebUtility.HtmlEncode(column.Column)}</td><td>{column.Importance:+0.0000;-0.0000}</td><td>{column.StandardError:0.0000}</td></tr>");
        return html.Append("</table>").ToString();
    }

    /// <summary>The result as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["method"] = "permutation",
        ["metric"] = Metric,
        ["higherIsBetter"] = HigherIsBetter,
        ["baseline"] = Baseline,
        ["rows"] = Rows,
        ["repeats"] = Repeats,
        ["columns"] = new JsonArray(Columns.Select(c => (JsonNode?)new JsonObject
        {
            ["column"] = c.Column,
            ["importance"] = c.Importance,
            ["standardError"] = c.StandardError,
            ["metricChanges"] = new JsonObject(c.MetricChanges.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        }).ToArray()),
    };
}
