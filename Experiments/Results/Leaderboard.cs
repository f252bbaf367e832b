using MlToolkit.Models.Evaluation;
using System.Globalization;
using System.Text;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Tuning;

namespace MlToolkit.Experiments.Results;

/// <summary>Complete trials ranked by the metric, with the trainer, its key hyperparameters, metric ± std over folds and duration.</summary>
public sealed class Leaderboard
{
    /// <summary>Ranks <paramref name="trials"/> by <paramref name="metric"/>.</summary>
    public Leaderboard(IEnumerable<TrialRecord> trials, MetricDefinition metric)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(metric);
        Metric = metric;
        var all = trials.ToList();
        var complete = all.Where(t => t.State == TrialState.Complete && t.Value is not null);
        Rows = (metric.Maximize ? complete.OrderByDescending(t => t.Value) : complete.OrderBy(t => t.Value)).ThenBy(t => t.Number)
            .Select((t, i) => new LeaderboardRow(i + 1, t)).ToList();
        Pruned = all.Count(t => t.State == TrialState.Pruned);
        Failed = all.Count(t => t.State == TrialState.Failed);
        Cancelled = all.Count(t => t.State == TrialState.Cancelled);
    }

    /// <summary>The metric ranked by.</summary>
    public MetricDefinition Metric { get; }

    /// <summary>Complete trials, best first.</summary>
    public IReadOnlyList<LeaderboardRow> Rows { get; }

    /// <summary>Trials pruned.</summary>
    public int Pruned { get; }

    /// <summary>Trials failed.</summary>
    public int Failed { get; }

    /// <summary>Trials cancelled.</summary>
    public int Cancelled { get; }

    /// <summary>The text table (<see cref="ToText"/>), so that notebooks and logs show something readable.</summary>
    public override string ToString() => ToText();

    /// <summary>An HTML table of the top <paramref name="top"/> rows (for notebooks and reports).</summary>
    public string ToHtml(int top = 20)
    {
        static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<table class=\"leaderboard\"><tr><th>rank</th><th>trial</th><th>trainer</th><th>{Encode(Metric.Name)}</th><th>± std</th><th>seconds</th><th>peak MiB</th><th>hyperparameters</th></tr>\n");
        foreach (var row in Rows.Take(top))
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{row.Rank}</td><td>{row.Trial.Number}</td><td class=\"l\">{Encode(row.Trainer)}</td><td>{row.Trial.Value:0.0000}</td><td>{(row.Trial.ValueStd is { } s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : "-")}</td><td>{row.Trial.Duration.TotalSeconds:0.0}</td><td>{(row.Trial.PeakMemoryMb is { } m ? m.ToString("0", CultureInfo.InvariantCulture) : "-")}</td><td class=\"l\">{Encode(row.Hyperparameters)}</td></tr>\n");
        return html.Append("</table>").ToString();
    }

    /// <summary>A fixed-width table of the top <paramref name="top"/> rows.</summary>
    public string ToText(int top = 10)
    {
        var lines = new List<string[]> { new[] { "rank", "trial", "trainer", Metric.Name, "± std", "seconds", "hyperparameters" } };
        foreach (var row in Rows.Take(top))
            lines.Add(new[]
            {
                row.Rank.ToString(CultureInfo.InvariantCulture), row.Trial.Number.ToString(CultureInfo.InvariantCulture), row.Trainer,
                row.Trial.Value!.Value.ToString("0.0000", CultureInfo.InvariantCulture),
                row.Trial.ValueStd is { } std ? std.ToString("0.0000", CultureInfo.InvariantCulture) : "-",
                row.Trial.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture), row.Hyperparameters,
            });
        var widths = Enumerable.Range(0, 6).Select(c => lines.Max(l => l[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
            text.AppendLine(string.Join("  ", line.Take(6).Select((cell, c) => c is 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))) + "  " + line[6]);
        text.Append(CultureInfo.InvariantCulture, $"{Rows.Count} complete, {Pruned} pruned, {Failed} failed, {Cancelled} cancelled");
        return text.ToString();
    }
}

/// <summary>One ranked trial.</summary>
/// <param name="Rank">1 = best.</param>
/// <param name="Trial">The trial.</param>
public sealed record LeaderboardRow(int Rank, TrialRecord Trial)
{
    /// <summary>The trainer's name.</summary>
    public string Trainer => TrialConfiguration.Of(Trial);

    /// <summary>The trainer's own hyperparameters, <c>name=value</c>.</summary>
    public string Hyperparameters => TrialConfiguration.Hyperparameters(Trial).ToString();
}
