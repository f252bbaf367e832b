using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.ML;
using MlToolkit.Data.Samples;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Reporting;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Experiments.Tuning.Pruners;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;
using SkiaSharp;

namespace MlToolkit.Tests.Experiments;

/// <summary>Experiment reports: the HTML has its sections and the PNG charts are real pictures.</summary>
[Collection(TorchCollection.Name)]
public sealed class ReportTests
{
    [Fact]
    public void A_classification_report_has_every_section_and_nontrivial_charts()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var result = ml.AutoMl().CreateExperiment(SampleDatasets.BreastCancer(ml), "diagnosis")
            .SetTrainers("lightgbm", "mlp").SetCrossValidation(2).SetTrainingTime(null).SetMaxTrials(8).SetPruner(new MedianPruner(startupTrials: 1))
            .Run();
        var files = ExperimentReport.Write(ReportData.FromResult(result), folder.Path);

        var html = Parse(files.Html);
        Assert.Equal(new[] { "summary", "leaderboard", "baseline", "ensemble", "interactive", "history", "parameters", "importance", "learning-curves", "confusion-matrix" }, Sections(html));
        // Always "benign" is right on 357 of the 569 out-of-fold rows.
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"always 'benign' (the training rows' class frequencies): accuracy 0.6274 out of fold, best trial {result.Baseline!.BestValue:0.0000}; the best trial beats it"),
            Section(html, "baseline").Element("p")!.Value);
        // The leaderboard's numbers are the stored trials': each row's trial and value, best first.
        var shown = Section(html, "leaderboard").Descendants("tr").Skip(1).Select(r => r.Elements("td").ToList())
            .Select(cells => (Trial: int.Parse(cells[1].Value, CultureInfo.InvariantCulture), Value: cells[3].Value)).ToList();
        var stored = result.Trials.Where(t => t.State == TrialState.Complete).OrderByDescending(t => t.Value).ThenBy(t => t.Number)
            .Select(t => (Trial: t.Number, Value: t.Value!.Value.ToString("0.0000", CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(stored, shown);
        var summary = Section(html, "summary").Descendants("tr").ToDictionary(r => r.Element("th")!.Value, r => r.Element("td")!.Value);
        Assert.StartsWith($"trial {result.BestTrial!.Number}: ", summary["best"]);
        Assert.Contains($" accuracy {result.BestTrial.Value:0.0000} ± {result.BestTrial.ValueStd:0.0000} ", summary["best"]);
        Assert.StartsWith($"{result.Trials.Count}: ", summary["trials"]);
        var perClass = html.Descendants("table").Single(t => (string?)t.Attribute("id") == "per-class").Descendants("tr").Skip(1)
            .Select(r => r.Elements("td").Select(c => c.Value).ToList()).ToList();
        Assert.Equal(new[] { "benign", "malignant" }, perClass.Select(r => r[0]));
        // Out-of-fold predictions of the best trial cover every row once: 357 benign, 212 malignant.
        Assert.Equal(new[] { "357", "212" }, perClass.Select(r => r[4]));
        // Pooled out-of-fold accuracy, from the recalls and supports shown, matches the best trial's mean fold accuracy.
        var pooled = perClass.Sum(r => double.Parse(r[2], CultureInfo.InvariantCulture) * double.Parse(r[4], CultureInfo.InvariantCulture)) / 569;
        Assert.Equal(result.BestTrial.Value!.Value, pooled, 0.002);
        Assert.Equal(6, Section(html, "history").Descendants("img").Count() + Section(html, "learning-curves").Descendants("img").Count() + Section(html, "confusion-matrix").Descendants("img").Count() + 2);
        Assert.All(html.Descendants("img"), img => Assert.StartsWith("data:image/png;base64,", (string)img.Attribute("src")!));

        Assert.Contains("learning-curves", files.Charts.Keys);
        Assert.Contains("confusion-matrix", files.Charts.Keys);
        foreach (var chart in files.Charts.Values)
            AssertNontrivialPng(chart);
    }

    [Fact]
    public void A_regression_report_shows_residuals_and_the_report_command_reads_it_from_storage()
    {
        using var folder = new TempFolder();
        var automl = CliRunner.InProcess("automl", "--sample", "diabetes", "--max-trials", "6", "--cv", "2", "--trainers", "lightgbm,sdca", "-o", folder.Path, "--json");
        Assert.True(automl.ExitCode == 0, automl.Error);
        // automl explains its best model in the report: column importance and three rows' SHAP values.
        var explained = Section(Parse(folder.File("report.html")), "explanations");
        Assert.Single(explained.Descendants("img"));
        Assert.Equal(3, explained.Descendants("table").Count());
        Assert.Contains(explained.Descendants("td").Select(td => td.Value), v => v is "bmi" or "s5");
        AssertNontrivialPng(folder.File("charts/feature-importance.png"));
        File.Delete(folder.File("report.html"));

        var report = CliRunner.InProcess("report", "--storage", folder.File("experiment.db"), "-o", folder.File("again"));
        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Equal($"Report   {folder.File("again/report.html")} (6 trials, ", report.Out[..(report.Out.IndexOf("trials, ", StringComparison.Ordinal) + 8)]);
        var html = Parse(folder.File("again/report.html"));
        Assert.Equal("residuals", Sections(html).Last());
        AssertNontrivialPng(folder.File("again/charts/residuals.png"));

        var missing = CliRunner.InProcess("report", "--storage", folder.File("experiment.db"), "--study", "nope");
        Assert.Equal(3, missing.ExitCode);
        Assert.StartsWith($"error: '{folder.File("experiment.db")}' has no study 'nope'. Studies: default.", missing.Error);
    }

    [ChromiumFact]
    public void In_a_real_browser_the_interactive_charts_draw_every_trial_with_its_configuration_and_raise_no_error()
    {
        using var folder = new TempFolder();
        var automl = CliRunner.InProcess("automl", "--sample", "iris", "--max-trials", "10", "--cv", "3", "--trainers", "lightgbm,lbfgs", "-o", folder.Path, "--json", "--explain", "false");
        Assert.True(automl.ExitCode == 0, automl.Error);
        var trials = ReportData.FromStorage(folder.File("experiment.db")).Complete;
        var lightgbm = trials.Count(t => TrialConfiguration.Of(t) == "lightgbm");

        var rendered = HeadlessChromium.Render(folder.File("report.html"), folder.Path);
        Assert.Empty(rendered.Errors);
        // plotly.js drew both charts as SVG: one marker per complete trial in the history, and in the parallel
        // coordinates one axis per numeric hyperparameter of the best trainer plus the metric.
        var history = Chart(rendered.Dom, "chart-history");
        Assert.Equal(trials.Count, Regex.Matches(history, "class=\"point\"").Count);
        Assert.Contains("main-svg", history);
        var best = TrialConfiguration.Of(ReportData.FromStorage(folder.File("experiment.db")).Best!);
        var axes = trials.Where(t => TrialConfiguration.Of(t) == best).SelectMany(t => TrialConfiguration.Hyperparameters(t).Values.Where(p => !p.Value.IsText).Select(p => p.Key)).Distinct().Count() + 1;
        Assert.Equal(axes, Regex.Matches(Chart(rendered.Dom, "chart-parallel"), "class=\"y-axis\"").Count);
        // Each trial's configuration is in the figure for hover.
        Assert.Contains("trial 0: ", File.ReadAllText(folder.File("report.html")));
        Assert.True(lightgbm > 0, "no lightgbm trial");
    }

    [Fact]
    public void Per_class_metrics_come_from_the_confusion_matrix()
    {
        var matrix = new ConfusionMatrix(new[] { "a", "b" }, new IReadOnlyList<long>[] { new long[] { 8, 2 }, new long[] { 1, 9 } });
        var rows = matrix.PerClass();
        Assert.Equal(("a", 8 / 9.0, 0.8, 2 * (8 / 9.0) * 0.8 / (8 / 9.0 + 0.8), 10L), rows[0]);
        Assert.Equal(0.85, matrix.Accuracy, 12);
    }

    [Fact]
    public void Importance_ranks_the_parameter_that_drives_the_metric_first()
    {
        var random = new Random(2);
        var trials = Enumerable.Range(0, 40).Select(i =>
        {
            double driver = random.NextDouble(), noise = random.NextDouble();
            var configuration = new SearchSpace().Float("driver", 0, 1).Float("noise", 0, 1)
                .Configuration(new Dictionary<string, ParameterValue> { ["driver"] = ParameterValue.Of(driver), ["noise"] = ParameterValue.Of(noise) });
            return new TrialRecord { Number = i, Configuration = configuration, State = TrialState.Complete, Value = driver * 10 + random.NextDouble() * 0.5 };
        }).ToList();
        var importance = ParameterImportance.Compute(trials, t => t.Configuration.Values);
        Assert.Equal("driver", importance[0].Key);
        Measured.AtLeast(importance[0].Value, 0.95, 0.965, "η² of the driving parameter");
        Assert.True(importance[1].Value < 0.3, $"noise {importance[1].Value}");
    }

    // Scripts (plotly.js and the charts' figures) are JavaScript, not XML: their bodies are left out.
    private static XDocument Parse(string path) =>
        XDocument.Parse(Regex.Replace(Regex.Replace(File.ReadAllText(path), "^<!DOCTYPE html>", "", RegexOptions.IgnoreCase), "<script>.*?</script>", "<script/>", RegexOptions.Singleline));

    /// <summary>The rendered markup of the chart in the element with <paramref name="id"/> (up to the next chart or section).</summary>
    private static string Chart(string dom, string id)
    {
        var start = dom.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no element {id} in the rendered page");
        var end = dom.IndexOf("class=\"plotly-chart\"", start + id.Length, StringComparison.Ordinal);
        var section = dom.IndexOf("</section>", start, StringComparison.Ordinal);
        return dom[start..(end > 0 && end < section ? end : section)];
    }

    private static List<string> Sections(XDocument html) => html.Descendants("section").Select(s => (string)s.Attribute("id")!).ToList();

    private static XElement Section(XDocument html, string id) => html.Descendants("section").Single(s => (string?)s.Attribute("id") == id);

    private static void AssertNontrivialPng(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal((900, 480), (bitmap.Width, bitmap.Height));
        // Axes, ticks and titles are grey; only plotted data (markers, lines, bars, heat-map cells) is coloured.
        var colours = new HashSet<uint>();
        long coloured = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var pixel = bitmap.GetPixel(x, y);
                colours.Add((uint)pixel);
                if (Math.Max(pixel.Red, Math.Max(pixel.Green, pixel.Blue)) - Math.Min(pixel.Red, Math.Min(pixel.Green, pixel.Blue)) > 40)
                    coloured++;
            }
        Assert.True(colours.Count > 20, $"{path}: only {colours.Count} colours");
        Assert.True(coloured > 40, $"{path}: only {coloured} coloured pixels (sampled), so no data was drawn");
    }
}
