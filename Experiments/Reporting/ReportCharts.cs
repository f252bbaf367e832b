using System.Globalization;
using System.Text.Json;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Tuning;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MlToolkit.Experiments.Reporting;

/// <summary>The report's charts as OxyPlot models, each rendered to PNG with OxyPlot.SkiaSharp.</summary>
internal static class ReportCharts
{
    public const int Width = 900;
    public const int Height = 480;

    public static void SavePng(PlotModel model, string path, int width = Width, int height = Height)
    {
        using var stream = File.Create(path);
        new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream);
    }

    /// <summary>Every complete trial's value by trial number (one colour per trainer) and the best so far.</summary>
    public static PlotModel HistoryByTrial(ReportData data)
    {
        var model = Model("Optimization history", "trial", data.Metric.Name);
        foreach (var group in data.Complete.GroupBy(TrialConfiguration.Of))
        {
            var scatter = new ScatterSeries { Title = group.Key.Length > 0 ? group.Key : "trials", MarkerType = MarkerType.Circle, MarkerSize = 3.5 };
            scatter.Points.AddRange(group.Select(t => new ScatterPoint(t.Number, t.Value!.Value)));
            model.Series.Add(scatter);
        }
        model.Series.Add(BestSoFar(data, t => t.Number));
        return model;
    }

    /// <summary>The best value so far against seconds since the first trial started.</summary>
    public static PlotModel HistoryByTime(ReportData data)
    {
        var model = Model("Optimization history over time", "seconds since the first trial started", data.Metric.Name);
        var start = data.Trials.Count > 0 ? data.Trials.Min(t => t.Started) : DateTimeOffset.UnixEpoch;
        double Ended(TrialRecord t) => (t.Started + t.Duration - start).TotalSeconds;
        foreach (var group in data.Complete.GroupBy(TrialConfiguration.Of))
        {
            var scatter = new ScatterSeries { Title = group.Key.Length > 0 ? group.Key : "trials", MarkerType = MarkerType.Circle, MarkerSize = 3.5 };
            scatter.Points.AddRange(group.Select(t => new ScatterPoint(Ended(t), t.Value!.Value)));
            model.Series.Add(scatter);
        }
        model.Series.Add(BestSoFar(data, Ended));
        return model;
    }

    /// <summary>One hyperparameter of one trainer against the metric.</summary>
    public static PlotModel ParameterVersusMetric(ReportData data, string trainer, string parameter)
    {
        var points = data.Complete.Where(t => TrialConfiguration.Of(t) == trainer)
            .Select(t => (Trial: t, Value: Parameters(t).TryGetValue(parameter, out var v) ? v : (Tuning.SearchSpaces.ParameterValue?)null))
            .Where(p => p.Value is not null).ToList();
        var model = Model($"{trainer}: {parameter}", parameter, data.Metric.Name, addAxes: false);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = data.Metric.Name, MajorGridlineStyle = LineStyle.Dot });
        var scatter = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 4 };
        if (points.Count > 0 && points[0].Value!.Value.IsText)
        {
            var categories = points.Select(p => p.Value!.Value.Text!).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
            model.Axes.Add(new LinearAxis
            {
                Position = AxisPosition.Bottom, Title = parameter, Minimum = -0.5, Maximum = categories.Count - 0.5, MajorStep = 1, MinorStep = 1,
                LabelFormatter = v => v >= 0 && v < categories.Count && Math.Abs(v - Math.Round(v)) < 1e-9 ? categories[(int)Math.Round(v)] : "",
            });
            scatter.Points.AddRange(points.Select(p => new ScatterPoint(categories.IndexOf(p.Value!.Value.Text!), p.Trial.Value!.Value)));
        }
        else
        {
            var xs = points.Select(p => p.Value!.Value.Number).ToList();
            var logScale = xs.Count > 0 && xs.Min() > 0 && xs.Max() / xs.Min() >= 100;
            model.Axes.Add(logScale
                ? new LogarithmicAxis { Position = AxisPosition.Bottom, Title = parameter + " (log)", MajorGridlineStyle = LineStyle.Dot }
                : new LinearAxis { Position = AxisPosition.Bottom, Title = parameter, MajorGridlineStyle = LineStyle.Dot });
            scatter.Points.AddRange(points.Select(p => new ScatterPoint(p.Value!.Value.Number, p.Trial.Value!.Value)));
        }
        model.Series.Add(scatter);
        return model;
    }

    /// <summary>Horizontal bars of η² per hyperparameter (0 to 1), or of another importance when <paramref name="axisTitle"/> says what.</summary>
    public static PlotModel Importance(string title, IReadOnlyList<KeyValuePair<string, double>> importance, string? axisTitle = null)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, ItemsSource = importance.Select(p => p.Key).Reverse().ToList() });
        model.Axes.Add(axisTitle is null
            ? new LinearAxis { Position = AxisPosition.Bottom, Minimum = 0, Maximum = 1, Title = "eta squared: share of the metric's variance the parameter explains alone", MajorGridlineStyle = LineStyle.Dot }
            : new LinearAxis { Position = AxisPosition.Bottom, Minimum = Math.Min(0, importance.Select(p => p.Value).DefaultIfEmpty(0).Min()), Title = axisTitle, MajorGridlineStyle = LineStyle.Dot });
        var bars = new BarSeries { FillColor = OxyColor.FromRgb(0x3b, 0x75, 0xaf), LabelFormatString = axisTitle is null ? "{0:0.00}" : "{0:0.0000}" };
        bars.Items.AddRange(importance.Select(p => new BarItem(p.Value)).Reverse());
        model.Series.Add(bars);
        return model;
    }

    /// <summary>Per-epoch losses (validation where the trainer held some out) of the trials that reported them.</summary>
    public static PlotModel LearningCurves(ReportData data, int maxTrials = 12)
    {
        var model = Model("Learning curves (per-epoch validation loss)", "epoch", "loss");
        var withCurves = data.Trials.Where(t => t.Intermediate.Count > 0)
            .OrderBy(t => t.State == TrialState.Complete ? 0 : 1).ThenBy(t => t.Intermediate.Values.Min()).Take(maxTrials);
        foreach (var trial in withCurves)
        {
            var line = new LineSeries
            {
                Title = $"#{trial.Number} {TrialConfiguration.Of(trial)}{(trial.State == TrialState.Pruned ? " (pruned)" : "")}",
                MarkerType = MarkerType.Circle, MarkerSize = 2.5,
                LineStyle = trial.State == TrialState.Pruned ? LineStyle.Dash : LineStyle.Solid,
            };
            line.Points.AddRange(trial.Intermediate.OrderBy(p => p.Key).Select(p => new DataPoint(p.Key, p.Value)));
            model.Series.Add(line);
        }
        return model;
    }

    /// <summary>The confusion matrix, rows = actual class, columns = predicted, coloured by the share of each actual class.</summary>
    public static PlotModel Confusion(ConfusionMatrix matrix)
    {
        var n = matrix.Classes.Count;
        var model = new PlotModel { Title = "Confusion matrix (validation folds of the best trial)", Background = OxyColors.White };
        model.Axes.Add(new LinearColorAxis { Position = AxisPosition.Right, Palette = OxyPalette.Interpolate(200, OxyColors.White, OxyColor.FromRgb(0x4a, 0x98, 0xc9)), Minimum = 0, Maximum = 1, Title = "share of the actual class" });
        string Label(double v) => v >= 0 && v < n && Math.Abs(v - Math.Round(v)) < 1e-9 ? matrix.Classes[(int)Math.Round(v)] : "";
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "predicted", Minimum = -0.5, Maximum = n - 0.5, MajorStep = 1, MinorStep = 1, LabelFormatter = Label });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "actual", Minimum = -0.5, Maximum = n - 0.5, MajorStep = 1, MinorStep = 1, StartPosition = 1, EndPosition = 0, LabelFormatter = Label });
        var shares = new double[n, n];
        for (var actual = 0; actual < n; actual++)
        {
            var total = Math.Max(1, Enumerable.Range(0, n).Sum(p => matrix.Counts[actual][p]));
            for (var predicted = 0; predicted < n; predicted++)
                shares[predicted, actual] = matrix.Counts[actual][predicted] / (double)total;
        }
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0, X1 = n - 1, Y0 = 0, Y1 = n - 1, Data = shares, Interpolate = false, RenderMethod = HeatMapRenderMethod.Rectangles,
            LabelFontSize = n <= 12 ? 0.12 : 0, LabelFormatString = "0.00",
        });
        return model;
    }

    /// <summary>Residual (actual − predicted) against predicted value.</summary>
    public static PlotModel Residuals(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var model = Model("Residuals (validation folds of the best trial)", "predicted", "actual − predicted");
        var scatter = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 3 };
        scatter.Points.AddRange(actual.Zip(predicted, (a, p) => new ScatterPoint(p, a - p)));
        model.Series.Add(scatter);
        var range = predicted.Count > 0 ? (predicted.Min(), predicted.Max()) : (0.0, 1.0);
        var zero = new LineSeries { Color = OxyColors.Gray, LineStyle = LineStyle.Dash };
        zero.Points.Add(new DataPoint(range.Item1, 0));
        zero.Points.Add(new DataPoint(range.Item2, 0));
        model.Series.Add(zero);
        return model;
    }

    public static IReadOnlyDictionary<string, Tuning.SearchSpaces.ParameterValue> Parameters(TrialRecord trial) => TrialConfiguration.Hyperparameters(trial).Values;

    private static StairStepSeries BestSoFar(ReportData data, Func<TrialRecord, double> x)
    {
        var line = new StairStepSeries { Title = "best so far", Color = OxyColors.Black, StrokeThickness = 2, VerticalStrokeThickness = 1 };
        double? best = null;
        foreach (var trial in data.Complete.OrderBy(x))
        {
            var value = trial.Value!.Value;
            if (best is null || (data.Metric.Maximize ? value > best : value < best))
                best = value;
            line.Points.Add(new DataPoint(x(trial), best.Value));
        }
        return line;
    }

    private static PlotModel Model(string title, string xTitle, string yTitle, bool addAxes = true)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightBottom, LegendPlacement = LegendPlacement.Inside, LegendBackground = OxyColor.FromAColor(200, OxyColors.White) });
        if (addAxes)
        {
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle, MajorGridlineStyle = LineStyle.Dot });
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = yTitle, MajorGridlineStyle = LineStyle.Dot });
        }
        return model;
    }
}

/// <summary>A confusion matrix read from a trial's diagnostics, with per-class precision, recall and F1.</summary>
/// <param name="Classes">Class names.</param>
/// <param name="Counts">Counts[actual][predicted].</param>
public sealed record ConfusionMatrix(IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<long>> Counts)
{
    /// <summary>Reads the <c>confusion</c> diagnostics of a trial; null when it has none.</summary>
    public static ConfusionMatrix? FromDiagnostics(string? json)
    {
        if (json is null)
            return null;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.GetProperty("kind").GetString() != "confusion")
            return null;
        var classes = root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).ToList();
        var counts = root.GetProperty("counts").EnumerateArray().Select(r => (IReadOnlyList<long>)r.EnumerateArray().Select(c => c.GetInt64()).ToList()).ToList();
        return new ConfusionMatrix(classes, counts);
    }

    /// <summary>Precision, recall, F1 and support of each class.</summary>
    public IReadOnlyList<(string Class, double Precision, double Recall, double F1, long Support)> PerClass()
    {
        var rows = new List<(string, double, double, double, long)>();
        for (var k = 0; k < Classes.Count; k++)
        {
            var truePositives = Counts[k][k];
            var predicted = Enumerable.Range(0, Classes.Count).Sum(a => Counts[a][k]);
            var support = Counts[k].Sum();
            var precision = predicted == 0 ? 0 : truePositives / (double)predicted;
            var recall = support == 0 ? 0 : truePositives / (double)support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            rows.Add((Classes[k], precision, recall, f1, support));
        }
        return rows;
    }

    /// <summary>Share of all predictions on the diagonal.</summary>
    public double Accuracy => Counts.SelectMany(r => r).Sum() is var total and > 0 ? Enumerable.Range(0, Classes.Count).Sum(k => Counts[k][k]) / (double)total : 0;

    internal string Format(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
