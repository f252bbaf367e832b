using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlToolkit.Data;

namespace MlToolkit.Models.Evaluation;

/// <summary>Metrics of a model on one dataset, in a fixed order with the task's primary metric first.</summary>
/// <param name="Task">The task evaluated.</param>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="Metrics">Metric name to value, in display order.</param>
/// <param name="UnseenCategories">Per one-hot column, rows whose value was not seen in training (encoded as all zeros).</param>
public sealed record EvaluationReport(PredictionTask Task, long Rows, IReadOnlyList<KeyValuePair<string, double>> Metrics, IReadOnlyDictionary<string, long>? UnseenCategories = null)
{
    /// <summary>Rows of the data left out of the metrics because their label is missing.</summary>
    public int RowsWithoutLabel { get; init; }

    /// <summary>The first metric: accuracy for classification, R² for regression.</summary>
    public KeyValuePair<string, double> Primary => Metrics[0];

    /// <summary>The value of metric <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The report has no such metric.</exception>
    public double this[string name] =>
        Metrics.FirstOrDefault(m => m.Key == name) is { Key: not null } found ? found.Value
        : throw new KeyNotFoundException($"No metric '{name}'. Metrics: {string.Join(", ", Metrics.Select(m => m.Key))}.");

    /// <summary>A JSON object: task, rows (and those without a label, left out) and metrics.</summary>
    public JsonObject ToJson()
    {
        var metrics = new JsonObject();
        foreach (var (name, value) in Metrics)
            metrics[name] = double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;
        var unseen = new JsonObject();
        foreach (var (column, count) in UnseenCategories ?? new Dictionary<string, long>())
            unseen[column] = count;
        return new JsonObject { ["task"] = Task.ToString(), ["rows"] = Rows, ["rowsWithoutLabel"] = RowsWithoutLabel, ["metrics"] = metrics, ["unseenCategories"] = unseen };
    }

    /// <summary>Aligned <c>name  value</c> lines.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var width = Metrics.Max(m => m.Key.Length);
        foreach (var (name, value) in Metrics)
            text.Append(CultureInfo.InvariantCulture, $"  {name.PadRight(width)}  {(double.IsNaN(value) ? "undefined" : value.ToString("0.0000", CultureInfo.InvariantCulture))}").AppendLine();
        foreach (var (column, count) in (UnseenCategories ?? new Dictionary<string, long>()).Where(kv => kv.Value > 0))
            text.Append(CultureInfo.InvariantCulture, $"  note: {count} row(s) had a '{column}' value unseen in training (encoded as all zeros)").AppendLine();
        if (RowsWithoutLabel > 0)
            text.Append(CultureInfo.InvariantCulture, $"  note: {RowsWithoutLabel} row(s) without a label left out").AppendLine();
        return text.ToString();
    }

    /// <summary>The report as indented JSON text.</summary>
    public override string ToString() => ToJson().ToJsonString(MlToolkit.Data.IO.ToolkitJson.Indented);
}
