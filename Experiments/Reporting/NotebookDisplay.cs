using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.ML.Data;
using MlConfusionMatrix = Microsoft.ML.Data.ConfusionMatrix;
using MlToolkit.Experiments.AutoMl;
using MlToolkit.Experiments.Results;
using MlToolkit.Experiments.Tuning;
using MlToolkit.Models.Evaluation;
using MlToolkit.Models.Explanations;

namespace MlToolkit.Experiments.Reporting;

/// <summary>
/// Rich display in Polyglot notebooks: a leaderboard, an AutoML result, evaluation metrics (ours and ML.NET's) and a
/// confusion matrix show as HTML tables when they are the value of a cell. Registered with the kernel's formatter
/// (Microsoft.DotNet.Interactive.Formatting, found by reflection, so MlToolkit does not depend on it) when this
/// assembly loads inside a kernel; elsewhere nothing happens.
/// </summary>
public static class NotebookDisplay
{
    private const string FormattingAssembly = "Microsoft.DotNet.Interactive.Formatting";
    private const string FormatterType = "Microsoft.DotNet.Interactive.Formatting.Formatter";
    private const string Html = "text/html";

    /// <summary>Each type shown as HTML, with how.</summary>
    public static IReadOnlyList<KeyValuePair<Type, Func<object, string>>> Renderers { get; } = new KeyValuePair<Type, Func<object, string>>[]
    {
        new(typeof(Leaderboard), value => ((Leaderboard)value).ToHtml(10)),
        new(typeof(AutoMlResult), value => ToHtml((AutoMlResult)value)),
        new(typeof(EvaluationReport), value => MetricsHtml.Of((EvaluationReport)value)),
        new(typeof(PermutationImportanceResult), value => ((PermutationImportanceResult)value).ToHtml()),
        new(typeof(RowExplanation), value => ((RowExplanation)value).ToHtml()),
        new(typeof(MlConfusionMatrix), value => MetricsHtml.Of((MlConfusionMatrix)value)),
        new(typeof(MulticlassClassificationMetrics), value => MetricsHtml.Of((MulticlassClassificationMetrics)value)),
        new(typeof(CalibratedBinaryClassificationMetrics), value => MetricsHtml.Of((CalibratedBinaryClassificationMetrics)value)),
        new(typeof(RegressionMetrics), value => MetricsHtml.Of((RegressionMetrics)value)),
    };

    /// <summary>Registers <see cref="Renderers"/> with the notebook kernel's formatter; false when this process is no kernel.</summary>
    public static bool Register()
    {
        var formatter = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == FormattingAssembly)?.GetType(FormatterType);
        var register = formatter?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, new[] { typeof(Type), typeof(Action<object, TextWriter>), typeof(string) });
        var prefer = formatter?.GetMethod("SetPreferredMimeTypesFor", BindingFlags.Public | BindingFlags.Static, new[] { typeof(Type), typeof(string[]) });
        if (register is null || prefer is null)
            return false;
        foreach (var (type, render) in Renderers)
        {
            register.Invoke(null, new object[] { type, (Action<object, TextWriter>)((value, writer) => writer.Write(render(value))), Html });
            prefer.Invoke(null, new object[] { type, new[] { Html } });
        }
        return true;
    }

    /// <summary>An AutoML result in HTML: how the run went, the best trial, the ensemble, the test metrics and the top of the leaderboard.</summary>
    public static string ToHtml(AutoMlResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var trials = result.Trials;
        var html = new StringBuilder("<div class=\"automl-result\">");
        html.Append(CultureInfo.InvariantCulture,
            $"<p>{result.Task}, {result.Evaluation}, {Encode(result.Metric.Name)}: {trials.Count} trials ({trials.Count(t => t.State == TrialState.Complete)} complete, {trials.Count(t => t.State == TrialState.Failed)} failed); stopped ({result.Summary.Reason}) after {result.Summary.Elapsed.TotalSeconds:0.0} s.</p>");
        if (result.BestTrial is { } best)
            html.Append(CultureInfo.InvariantCulture, $"<p>Best: trial {best.Number}, {Encode(TrialConfiguration.Of(best))}, {Encode(result.Metric.Name)} {best.Value:0.0000}{(best.ValueStd is { } std ? $" ± {std:0.0000}" : "")}</p>");
        if (result.Baseline is { } baseline)
            html.Append("<p>Baseline: ").Append(Encode(baseline.ToText(result.Metric.Name))).Append("</p>");
        if (result.Ensemble is { } ensemble)
            html.Append(CultureInfo.InvariantCulture, $"<p>Ensemble (saved as the model): {string.Join(" + ", ensemble.Weights.Select(w => $"trial {w.Key} × {w.Value:0.00}"))}</p>");
        if (result.Test is { } test)
            html.Append(MetricsHtml.Of(test));
        return html.Append(result.Leaderboard.ToHtml(10)).Append("</div>").ToString();
    }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A notebook shows results as HTML without a setup call; outside a kernel this only looks for an assembly that is not there.")]
    internal static void RegisterInKernel() => Register();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
