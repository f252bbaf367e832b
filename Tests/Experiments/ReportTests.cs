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
        Assert.Equal(new[] { "summary", "leaderboard", "history", "parameters", "importance", "learning-curves", "confusion-matrix" }, Sections(html));
        var leaderboardRows = Section(html, "leaderboard").Descendants("tr").Count() - 1;
        Assert.Equal(result.Leaderboard.Rows.Count, leaderboardRows);
        var perClass = html.Descendants("table").Single(t => (string?)t.Attribute("id") == "per-class").Descendants("tr").Skip(1)
            .Select(r => r.Elements("td").First().Value).ToList();
        Assert.Equal(new[] { "benign", "malignant" }, perClass);
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
        Assert.True(importance[0].Value > 0.9, $"driver {importance[0].Value}");
        Assert.True(importance[1].Value < 0.3, $"noise {importance[1].Value}");
    }

    private static XDocument Parse(string path) =>
        XDocument.Parse(Regex.Replace(File.ReadAllText(path), "^<!DOCTYPE html>", "", RegexOptions.IgnoreCase));

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
