using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Reporting;

/// <summary>
/// The report's interactive charts (zoom, pan, values and each trial's configuration on hover): plotly.js figures
/// written as JSON, drawn by the plotly.js that Plotly.NET ships, embedded once so that the page opens offline.
/// </summary>
public static class InteractiveCharts
{
    private static readonly Lazy<string> Library = new(ReadLibrary);

    /// <summary>The plotly.js version embedded.</summary>
    public static string PlotlyVersion => LibraryResource["Plotly.NET.plotly-".Length..^".min.js".Length];

    /// <summary>A <c>script</c> element holding plotly.js (about 3.5 MB), for the page's head.</summary>
    public static string Script() => $"<script>/* plotly.js {PlotlyVersion} (MIT), from the Plotly.NET package */\n{Library.Value}\n</script>\n";

    /// <summary>Every complete trial's value by trial number, one series per trainer; hover shows the trial and its configuration.</summary>
    public static JsonObject History(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var traces = new JsonArray();
        foreach (var group in data.Complete.GroupBy(TrialConfiguration.Of).OrderBy(g => g.Key, StringComparer.Ordinal))
            traces.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "markers",
                ["name"] = group.Key.Length > 0 ? group.Key : "trials",
                ["x"] = Numbers(group.Select(t => (double)t.Number)),
                ["y"] = Numbers(group.Select(t => t.Value!.Value)),
                ["text"] = new JsonArray(group.Select(t => (JsonNode)JsonValue.Create(Hover(t))!).ToArray()),
                ["hovertemplate"] = "%{text}<br>" + data.Metric.Name + " %{y:.4f}<extra></extra>",
            });
        return Figure(traces, "Metric by trial (hover: configuration)", "trial", data.Metric.Name);
    }

    /// <summary>
    /// The trials of <paramref name="trainer"/> in parallel coordinates: one axis per numeric hyperparameter and one for
    /// the metric, each line a trial coloured by its value; null when it has fewer than two such trials.
    /// </summary>
    public static JsonObject? ParallelCoordinates(ReportData data, string trainer)
    {
        ArgumentNullException.ThrowIfNull(data);
        var trials = data.Complete.Where(t => TrialConfiguration.Of(t) == trainer).ToList();
        if (trials.Count < 2)
            return null;
        var parameters = trials.Select(ReportCharts.Parameters).ToList();
        var names = parameters.SelectMany(p => p.Where(v => !v.Value.IsText).Select(v => v.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var dimensions = new JsonArray();
        foreach (var name in names)
            dimensions.Add(new JsonObject
            {
                ["label"] = name,
                ["values"] = Numbers(parameters.Select(p => p.TryGetValue(name, out var v) ? v.Number : double.NaN)),
            });
        var values = trials.Select(t => t.Value!.Value).ToList();
        dimensions.Add(new JsonObject { ["label"] = data.Metric.Name, ["values"] = Numbers(values) });
        var trace = new JsonObject
        {
            ["type"] = "parcoords",
            ["dimensions"] = dimensions,
            ["line"] = new JsonObject { ["color"] = Numbers(values), ["colorscale"] = "Viridis", ["reversescale"] = !data.Metric.Maximize, ["showscale"] = true },
        };
        // Room above the axes for their names and ranges, below the title.
        return Figure(new JsonArray(trace), $"{trainer}: {trials.Count} trials, hyperparameters and {data.Metric.Name}", null, null, top: 120);
    }

    /// <summary>A <c>div</c> and the script that draws <paramref name="figure"/> into it (needs <see cref="Script"/> on the page).</summary>
    public static string Html(string id, JsonObject figure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(figure);
        // "</" inside a script element would end it: JSON strings may hold configuration text.
        var json = figure.ToJsonString().Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div id=\"{id}\" class=\"plotly-chart\" style=\"height:460px\"></div>\n<script>(function(){{var f={json};Plotly.newPlot('{id}',f.data,f.layout,{{responsive:true,displaylogo:false}});}})();</script>\n";
    }

    private static string Hover(TrialRecord trial)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"trial {trial.Number}: {TrialConfiguration.Of(trial)}");
        foreach (var (name, value) in ReportCharts.Parameters(trial))
            text.Append("<br>").Append(name).Append(" = ").Append(value.IsText ? value.Text : value.Number.ToString("G4", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static JsonObject Figure(JsonArray traces, string title, string? xTitle, string? yTitle, int top = 60)
    {
        var layout = new JsonObject { ["title"] = new JsonObject { ["text"] = title }, ["hovermode"] = "closest", ["margin"] = new JsonObject { ["l"] = 70, ["r"] = 30, ["t"] = top, ["b"] = 50 } };
        if (xTitle is not null)
            layout["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle } };
        if (yTitle is not null)
            layout["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle } };
        return new JsonObject { ["data"] = traces, ["layout"] = layout };
    }

    private static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).Select(v => (JsonNode?)v).ToArray());

    private static string LibraryResource => typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceNames()
        .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));

    private static string ReadLibrary()
    {
        using var stream = typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceStream(LibraryResource)
            ?? throw new InvalidOperationException($"The Plotly.NET assembly has no resource {LibraryResource}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
