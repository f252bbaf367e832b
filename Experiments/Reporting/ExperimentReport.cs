using MlToolkit.Data.IO;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Results;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Reporting;

/// <summary>The files a report wrote.</summary>
/// <param name="Html">The self-contained HTML page (charts embedded, opens offline).</param>
/// <param name="Charts">The PNG charts, by section id.</param>
public sealed record ReportFiles(string Html, IReadOnlyDictionary<string, string> Charts);

/// <summary>
/// An experiment report: a self-contained HTML page (leaderboard, optimization history by trial and by time,
/// hyperparameter-versus-metric plots and importance for the best trainer, learning curves of torch trials, and the
/// best trial's confusion matrix with per-class precision/recall/F1, or its residuals for regression) plus each
/// chart as a PNG file, and interactive plotly.js charts (every trial with its configuration on hover, the best
/// trainer's trials in parallel coordinates). Sections carry stable ids: summary, leaderboard, interactive, history,
/// parameters, importance, learning-curves, confusion-matrix or residuals.
/// </summary>
public static class ExperimentReport
{
    private const string Style = "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}td.l{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:4px 0}</style>";

    /// <summary>Writes <c>report.html</c> and <c>charts/*.png</c> into <paramref name="folder"/>.</summary>
    public static ReportFiles Write(ReportData data, string folder)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var chartFolder = Path.Combine(folder, "charts");
        Directory.CreateDirectory(chartFolder);
        var charts = new Dictionary<string, string>();
        string Chart(string name, OxyPlot.PlotModel model)
        {
            var path = Path.Combine(chartFolder, name + ".png");
            ReportCharts.SavePng(model, path);
            charts[name] = path;
            return path;
        }

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><title>MlToolkit experiment: {Encode(data.StudyName)}</title>
            {Style}
            {InteractiveCharts.Script()}</head><body>
            <h1>Experiment report: {Encode(data.StudyName)}</h1>

            """);
        AppendSummary(html, data);
        html.Append("<section id=\"leaderboard\"><h2>Leaderboard</h2>").Append(new Leaderboard(data.Trials, data.Metric).ToHtml(20)).Append("</section>\n");
        AppendBaseline(html, data);
        AppendEnsemble(html, data);
        AppendInteractive(html, data);
        html.Append("<section id=\"history\"><h2>Optimization history</h2>\n")
            .Append(Image(Chart("history", ReportCharts.HistoryByTrial(data)), "metric by trial"))
            .Append(Image(Chart("history-time", ReportCharts.HistoryByTime(data)), "best so far over time"))
            .Append("</section>\n");
        var bestTrainer = data.Best is { } best ? TrialConfiguration.Of(best) : null;
        var ofBest = data.Complete.Where(t => bestTrainer is not null && TrialConfiguration.Of(t) == bestTrainer).ToList();
        AppendParameters(html, data.Best, bestTrainer, ofBest, data, Chart);
        AppendImportance(html, data, bestTrainer, ofBest, Chart);
        html.Append("<section id=\"learning-curves\"><h2>Learning curves</h2>\n");
        html.Append(data.Trials.Any(t => t.Intermediate.Count > 0)
            ? Image(Chart("learning-curves", ReportCharts.LearningCurves(data)), "learning curves")
            : "<p>No trial reported per-epoch values (only the torch trainers do).</p>\n");
        html.Append("</section>\n");
        AppendPredictions(html, data.Best, Chart);
        if (data.Explanations is { } explanations)
            AppendExplanations(html, explanations, Chart);
        html.Append("</body></html>\n");

        var htmlPath = Path.Combine(folder, "report.html");
        AtomicFile.Write(htmlPath, file => file.Write(new UTF8Encoding(false).GetBytes(html.ToString())));
        return new ReportFiles(htmlPath, charts);
    }

    /// <summary>Zoomable charts with values and configurations on hover: every trial by number, and the best trainer's trials in parallel coordinates.</summary>
    private static void AppendInteractive(StringBuilder html, ReportData data)
    {
        if (data.Complete.Count == 0)
            return;
        html.Append("<section id=\"interactive\"><h2>Interactive charts</h2>\n").Append(InteractiveCharts.Html("chart-history", InteractiveCharts.History(data)));
        if (data.Best is { } best && InteractiveCharts.ParallelCoordinates(data, TrialConfiguration.Of(best)) is { } parallel)
            html.Append(InteractiveCharts.Html("chart-parallel", parallel));
        html.Append("</section>\n");
    }

    private static void AppendSummary(StringBuilder html, ReportData data)
    {
        var best = data.Best;
        var states = data.Trials.GroupBy(t => t.State).ToDictionary(g => g.Key, g => g.Count());
        html.Append(CultureInfo.InvariantCulture, $"""
            <section id="summary"><h2>Summary</h2><table>
            <tr><th>source</th><td class="l">{Encode(data.Source)}</td></tr>
            <tr><th>metric</th><td class="l">{Encode(data.Metric.Name)} ({(data.Metric.Maximize ? "higher" : "lower")} is better)</td></tr>
            <tr><th>trials</th><td class="l">{data.Trials.Count}: {string.Join(", ", states.Select(s => $"{s.Value} {s.Key.ToString().ToLowerInvariant()}"))}</td></tr>
            <tr><th>best</th><td class="l">{(best is null ? "no complete trial" : Encode($"trial {best.Number}: {TrialConfiguration.Of(best)} {data.Metric.Name} {best.Value:0.0000}{(best.ValueStd is { } std ? $" ± {std:0.0000}" : "")} ({ReportCharts.Parameters(best).Count} hyperparameters: {TrialConfiguration.Hyperparameters(best)})"))}</td></tr>
            <tr><th>time</th><td class="l">{TotalSeconds(data):0.0} s of trials</td></tr>
            </table></section>

            """);
    }

    private static void AppendParameters(StringBuilder html, TrialRecord? best, string? bestTrainer, List<TrialRecord> ofBest, ReportData data, Func<string, OxyPlot.PlotModel, string> chart)
    {
        html.Append("<section id=\"parameters\"><h2>Hyperparameters against the metric</h2>\n");
        if (best is null || ofBest.Count < 2)
            html.Append("<p>Too few complete trials of one trainer to plot.</p>\n");
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{ofBest.Count} complete trials of {Encode(bestTrainer!)}, the best trainer.</p>\n");
            foreach (var parameter in ReportCharts.Parameters(best).Keys.Take(8))
                html.Append(Image(chart("parameter-" + Slug(parameter), ReportCharts.ParameterVersusMetric(data, bestTrainer!, parameter)), parameter));
        }
        html.Append("</section>\n");
    }

    private static void AppendImportance(StringBuilder html, ReportData data, string? bestTrainer, List<TrialRecord> ofBest, Func<string, OxyPlot.PlotModel, string> chart)
    {
        html.Append("<section id=\"importance\"><h2>Hyperparameter importance</h2>\n");
        var trainerImportance = ParameterImportance.Compute(data.Trials, t => t.Configuration.Values.Where(p => p.Key == "trainer").ToDictionary(p => p.Key, p => p.Value));
        var importance = ParameterImportance.Compute(ofBest, ReportCharts.Parameters);
        var rows = trainerImportance.Concat(importance.Select(p => new KeyValuePair<string, double>($"{bestTrainer}.{p.Key}", p.Value))).ToList();
        if (rows.Count == 0)
            html.Append(CultureInfo.InvariantCulture, $"<p>Needs at least {ParameterImportance.MinimumTrials} complete trials of one trainer.</p>\n");
        else
        {
            html.Append(Image(chart("importance", ReportCharts.Importance("Hyperparameter importance", rows)), "importance"))
                .Append("<p>η²: the share of the metric's variance across trials that the parameter explains on its own (trials grouped by choice, or by quantile bins of a number). Interactions are not separated.</p><table><tr><th>parameter</th><th>η²</th></tr>\n");
            foreach (var (name, value) in rows)
                html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{Encode(name)}</td><td>{value:0.000}</td></tr>\n");
            html.Append("</table>\n");
        }
        html.Append("</section>\n");
    }

    private static void AppendPredictions(StringBuilder html, TrialRecord? best, Func<string, OxyPlot.PlotModel, string> chart)
    {
        var confusion = ConfusionMatrix.FromDiagnostics(best?.Diagnostics);
        if (confusion is not null)
        {
            html.Append("<section id=\"confusion-matrix\"><h2>Best trial: confusion matrix</h2>\n")
                .Append(Image(chart("confusion-matrix", ReportCharts.Confusion(confusion)), "confusion matrix"))
                .Append("<table id=\"per-class\"><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
            foreach (var (name, precision, recall, f1, support) in confusion.PerClass())
                html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{Encode(name)}</td><td>{precision:0.000}</td><td>{recall:0.000}</td><td>{f1:0.000}</td><td>{support}</td></tr>\n");
            html.Append("</table></section>\n");
            return;
        }
        using var document = best?.Diagnostics is { } json ? JsonDocument.Parse(json) : null;
        if (document?.RootElement is { } root && root.GetProperty("kind").GetString() == "residuals")
        {
            var actual = root.GetProperty("actual").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var predicted = root.GetProperty("predicted").EnumerateArray().Select(v => v.GetDouble()).ToList();
            html.Append("<section id=\"residuals\"><h2>Best trial: residuals</h2>\n")
                .Append(Image(chart("residuals", ReportCharts.Residuals(actual, predicted)), "residuals"))
                .Append("</section>\n");
            return;
        }
        html.Append("<section id=\"confusion-matrix\"><h2>Best trial: predictions</h2><p>The best trial kept no predictions.</p></section>\n");
    }

    private static void AppendExplanations(StringBuilder html, MlToolkit.Models.Explanations.ModelSummary summary, Func<string, OxyPlot.PlotModel, string> chart)
    {
        var importance = summary.Importance;
        html.Append("<section id=\"explanations\"><h2>Best model: what it relies on</h2>\n")
            .Append(CultureInfo.InvariantCulture, $"<p>Permutation importance: the {Encode(importance.Metric)} lost when a column is shuffled ({importance.Repeats} shuffles of {importance.Rows:N0} rows; baseline {importance.Baseline:0.####}).</p>\n")
            .Append(Image(chart("feature-importance", ReportCharts.Importance("Permutation importance",
                importance.Columns.Take(20).Select(c => KeyValuePair.Create(c.Column, c.Importance)).ToList(), $"{importance.Metric} lost when the column is shuffled")), "permutation importance"));
        if (summary.Limits is { } limits)
            html.Append("<p>").Append(Encode(limits)).Append("</p>\n");
        foreach (var row in summary.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>Row {row.Row}: {Encode(row.Output)} = {row.Prediction:0.####} (base {row.BaseValue:0.####})</h3>\n<table><tr><th>column</th><th>value</th><th>SHAP</th></tr>");
            foreach (var feature in row.Features.Take(8))
                html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{Encode(feature.Column)}</td><td class=\"l\">{Encode(feature.Value)}</td><td>{feature.Attribution:+0.0000;-0.0000}</td></tr>");
            html.Append("</table>\n");
        }
        html.Append("</section>\n");
    }

    private static string Image(string path, string alt) =>
        $"<img alt=\"{Encode(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\"/>\n";

    private static double TotalSeconds(ReportData data) => data.Trials.Sum(t => t.Duration.TotalSeconds);

    private static string Slug(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The constant predictor the best trial was measured against, and whether it was saved in its place.</summary>
    private static void AppendBaseline(StringBuilder html, ReportData data)
    {
        if (data.Baseline is { } baseline)
            html.Append("<section id=\"baseline\"><h2>Baseline</h2><p>").Append(Encode(baseline.ToText(data.Metric.Name))).Append("</p></section>\n");
    }

    /// <summary>The saved ensemble: its members with their weights, and its out-of-fold metric against the best single trial's.</summary>
    private static void AppendEnsemble(StringBuilder html, ReportData data)
    {
        if (data.Ensemble is not { } ensemble)
            return;
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"ensemble\"><h2>Ensemble (saved as the model)</h2><p>{Encode(data.Metric.Name)} on the out-of-fold predictions: {ensemble.Value:0.0000} (best single trial {ensemble.BestSingleValue:0.0000}).</p>\n");
        html.Append("<table><tr><th>trial</th><th>trainer</th><th>weight</th><th>").Append(Encode(data.Metric.Name)).Append("</th><th>hyperparameters</th></tr>\n");
        foreach (var (number, weight) in ensemble.Weights)
        {
            var trial = data.Trials.FirstOrDefault(t => t.Number == number);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{number}</td><td>{Encode(trial is null ? "?" : TrialConfiguration.Of(trial))}</td><td>{weight:0.000}</td><td>{trial?.Value:0.0000}</td><td>{Encode(trial is null ? "" : TrialConfiguration.Hyperparameters(trial).ToString())}</td></tr>\n");
        }
        html.Append("</table></section>\n");
    }
}
