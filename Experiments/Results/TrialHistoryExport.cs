using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MlToolkit.Data.IO;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Results;

/// <summary>The full trial history as CSV (one column per hyperparameter, like Optuna's trials dataframe) or JSON.</summary>
public static class TrialHistoryExport
{
    /// <summary>CSV text: number, state, origin, value, value_std, duration_s, peak_mb, started, error, then <c>param_*</c> and <c>metric_*</c> columns.</summary>
    public static string ToCsv(IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var parameters = trials.SelectMany(t => t.Configuration.Names).Distinct().ToList();
        var metrics = trials.SelectMany(t => t.Metrics.Keys).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", new[] { "number", "state", "origin", "value", "value_std", "duration_s", "peak_mb", "started", "error" }
            .Concat(parameters.Select(p => "param_" + p)).Concat(metrics.Select(m => "metric_" + m)).Select(CsvText.Quote)));
        foreach (var trial in trials)
        {
            var cells = new List<string>
            {
                trial.Number.ToString(CultureInfo.InvariantCulture), trial.State.ToString(), trial.Origin.ToString(), Number(trial.Value), Number(trial.ValueStd),
                Number(trial.Duration.TotalSeconds), Number(trial.PeakMemoryMb), trial.Started.ToString("O", CultureInfo.InvariantCulture), trial.Error ?? "",
            };
            cells.AddRange(parameters.Select(p => trial.Configuration.TryGet(p, out var value) ? value.ToString() : ""));
            cells.AddRange(metrics.Select(m => Number(trial.Metrics.TryGetValue(m, out var value) ? value : null)));
            text.AppendLine(string.Join(",", cells.Select(CsvText.Quote)));
        }
        return text.ToString();
    }

    /// <summary>JSON array with every stored field of every trial.</summary>
    public static string ToJson(IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var array = new JsonArray();
        foreach (var trial in trials)
        {
            array.Add(new JsonObject
            {
                ["number"] = trial.Number,
                ["state"] = trial.State.ToString(),
                ["origin"] = trial.Origin.ToString(),
                ["retry_of"] = trial.RetryOf,
                ["value"] = Finite(trial.Value),
                ["value_std"] = Finite(trial.ValueStd),
                ["fold_values"] = new JsonArray(trial.FoldValues.Select(v => (JsonNode?)Finite(v)).ToArray()),
                ["metrics"] = new JsonObject(trial.Metrics.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Finite(p.Value)))),
                ["intermediate"] = new JsonObject(trial.Intermediate.Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)Finite(p.Value)))),
                ["parameters"] = JsonNode.Parse(trial.Configuration.ToJson()),
                ["started"] = trial.Started.ToString("O", CultureInfo.InvariantCulture),
                ["duration_s"] = trial.Duration.TotalSeconds,
                ["peak_mb"] = Finite(trial.PeakMemoryMb),
                ["error"] = trial.Error,
            });
        }
        return array.ToJsonString(ToolkitJson.Indented);
    }

    private static JsonNode? Finite(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
