using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlToolkit.Data.IO;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Models.Explanations;

/// <summary>A model's explanation at a glance, for reports: which columns matter, and why it predicts what it does for a few rows.</summary>
/// <param name="Importance">Permutation importance of every input column.</param>
/// <param name="Rows">Kernel SHAP explanations of the first rows (fewer, or none, when a time budget cut them).</param>
/// <param name="Limits">What a time budget cut from the full summary, in words; null when nothing was cut.</param>
public sealed record ModelSummary(PermutationImportanceResult Importance, IReadOnlyList<RowExplanation> Rows, string? Limits = null)
{
    /// <summary>
    /// Explains <paramref name="model"/> on <paramref name="data"/> (labelled) cheaply enough to follow a search:
    /// importance over up to 1,000 rows (a seeded sample) with 3 shuffles, Kernel SHAP of the first
    /// <paramref name="rows"/> rows against 50 background rows with up to 512 coalitions.
    /// </summary>
    public static ModelSummary Compute(MLContext mlContext, TrainedModel model, IDataView data, int rows = 3) =>
        Compute(mlContext, model, data, null, rows);

    /// <summary>
    /// As <see cref="Compute(MLContext, TrainedModel, IDataView, int)"/>, cut down to fit <paramref name="budget"/>
    /// (null: no limit). The model's scoring speed is measured on the data first; importance may take half the budget
    /// (one shuffle of fewer rows, but at least 100, when three shuffles do not fit) and SHAP what is left (a smaller
    /// background, then fewer rows, then fewer coalitions, or no rows). <see cref="Limits"/> says what was cut.
    /// </summary>
    public static ModelSummary Compute(MLContext mlContext, TrainedModel model, IDataView data, TimeSpan? budget, int rows = 3)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var clock = Stopwatch.StartNew();
        var table = Sample(ColumnTable.Read(data, SampledRows));
        var columns = ExplainedColumns.Of(model, table, Array.Empty<string>()).Length;
        var seconds = budget?.TotalSeconds;
        var cost = seconds is null ? ScoringCost.None : Measure(mlContext, model, table);
        var (importanceRows, repeats) = ExplanationPlan.Importance(table.Rows, columns, cost, seconds / 2 - clock.Elapsed.TotalSeconds);
        var importance = PermutationImportance.Compute(mlContext, model, table.Take(Enumerable.Range(0, importanceRows).ToArray()).ToDataView(),
            new PfiOptions { Repeats = repeats, MaxRows = importanceRows });
        var shap = ExplanationPlan.Shap(rows, columns, cost, seconds - clock.Elapsed.TotalSeconds);
        var explained = shap is { } plan
            ? mlContext.Explanations().KernelShap(model, table.ToDataView(), ColumnTable.Read(data, plan.Rows).ToDataView(), new ShapOptions { BackgroundRows = plan.Background, Samples = plan.Samples })
            : Array.Empty<RowExplanation>();
        return new ModelSummary(importance, explained, Cuts(budget, table.Rows, importanceRows, repeats, rows, shap));
    }

    // Rows the explained sample is drawn from: enough that the first rows of a file sorted by class do not make it up.
    private const int SampledRows = 10 * ExplanationPlan.ImportanceRows;

    /// <summary>Up to <see cref="ExplanationPlan.ImportanceRows"/> rows in a seeded order, so that the first of them are a sample too.</summary>
    private static ColumnTable Sample(ColumnTable all) =>
        all.Take(Enumerable.Range(0, all.Rows).ToArray().Shuffled(new Random(1)).Take(ExplanationPlan.ImportanceRows).ToArray());

    /// <summary>
    /// The model's <see cref="ScoringCost"/> from timed passes over all of <paramref name="table"/> and over a tenth of it,
    /// after one untimed pass over that tenth (the first pass also pays for loading and compiling the scoring code).
    /// </summary>
    private static ScoringCost Measure(MLContext mlContext, TrainedModel model, ColumnTable table)
    {
        var fewer = table.Take(Enumerable.Range(0, Math.Max(1, table.Rows / 10)).ToArray());
        ModelEvaluator.Evaluate(mlContext, model, fewer.ToDataView());
        var all = Time(mlContext, model, table);
        return ScoringCost.From(table.Rows, all, fewer.Rows, Time(mlContext, model, fewer));
    }

    private static double Time(MLContext mlContext, TrainedModel model, ColumnTable table)
    {
        var clock = Stopwatch.StartNew();
        ModelEvaluator.Evaluate(mlContext, model, table.ToDataView());
        return clock.Elapsed.TotalSeconds;
    }

    private static string? Cuts(TimeSpan? budget, int available, int importanceRows, int repeats, int rows, (int Rows, int Background, int Samples)? shap)
    {
        var cuts = new List<string>();
        if (repeats < ExplanationPlan.ImportanceRepeats)
            cuts.Add(string.Create(CultureInfo.InvariantCulture, $"importance shuffles each column once over {importanceRows:N0} rows (in full: {ExplanationPlan.ImportanceRepeats} times over {available:N0})"));
        if (shap is null && rows > 0)
            cuts.Add($"SHAP explains no rows (one row with {ExplanationPlan.FewestShapSamples} coalitions would not fit)");
        else if (shap is { } plan && (plan.Rows, plan.Background, plan.Samples) != (rows, ExplanationPlan.ShapBackground, ExplanationPlan.ShapSamples))
            cuts.Add(string.Create(CultureInfo.InvariantCulture, $"SHAP explains {plan.Rows} of {rows} rows against {plan.Background} background rows with {plan.Samples} coalitions (in full: {ExplanationPlan.ShapBackground} and {ExplanationPlan.ShapSamples})"));
        return cuts.Count == 0 ? null
            : string.Create(CultureInfo.InvariantCulture, $"Cut to fit the {Math.Max(0, budget!.Value.TotalSeconds):0.0} s left for explaining: {string.Join("; ", cuts)}.");
    }
}
