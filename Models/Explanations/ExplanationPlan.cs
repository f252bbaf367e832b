namespace MlToolkit.Models.Explanations;

/// <summary>What scoring costs a model: a fixed cost per pass (binding its pipeline, the evaluator) and a cost per row.</summary>
/// <param name="PerPass">Seconds every scoring pass takes however few its rows.</param>
/// <param name="PerRow">Seconds per row scored.</param>
internal readonly record struct ScoringCost(double PerPass, double PerRow)
{
    /// <summary>Free: everything fits.</summary>
    public static ScoringCost None => default;

    /// <summary>Seconds <paramref name="passes"/> passes of <paramref name="rows"/> rows each take.</summary>
    public double Seconds(long passes, long rows) => passes * (PerPass + rows * PerRow);

    /// <summary>
    /// The cost that passes over <paramref name="rows"/> rows (<paramref name="seconds"/>) and over
    /// <paramref name="fewerRows"/> rows (<paramref name="fewerSeconds"/>) imply, never negative.
    /// </summary>
    public static ScoringCost From(int rows, double seconds, int fewerRows, double fewerSeconds)
    {
        var perRow = rows > fewerRows ? Math.Max(0, (seconds - fewerSeconds) / (rows - fewerRows)) : seconds / Math.Max(1, rows);
        return new ScoringCost(Math.Max(0, fewerSeconds - fewerRows * perRow), perRow);
    }
}

/// <summary>
/// How much of <see cref="ModelSummary"/>'s explaining fits a time budget. Both explanations are rows scored: permutation
/// importance scores its rows once, then once per shuffle of every column (a batch of shuffles a pass); Kernel SHAP
/// scores background rows × coalitions per explained row (in three passes). Each is cut down from the full summary, in
/// the order that loses least, until its price at the model's measured <see cref="ScoringCost"/> fits its share of the
/// budget.
/// </summary>
internal static class ExplanationPlan
{
    /// <summary>Rows permutation importance reads in full.</summary>
    public const int ImportanceRows = 1000;

    /// <summary>Shuffles per column in full.</summary>
    public const int ImportanceRepeats = 3;

    /// <summary>Rows importance keeps however short the budget: below this a shuffle moves too few rows to rank columns.</summary>
    public const int FewestImportanceRows = 100;

    /// <summary>Background rows of Kernel SHAP in full.</summary>
    public const int ShapBackground = 50;

    /// <summary>Background rows when the budget is short (SHAP's own guidance summarises a background into 10–100 rows).</summary>
    public const int FewestShapBackground = 20;

    /// <summary>Coalitions per explained row in full.</summary>
    public const int ShapSamples = 512;

    /// <summary>Fewest coalitions worth fitting; with fewer the attributions are mostly sampling noise.</summary>
    public const int FewestShapSamples = 128;

    /// <summary>
    /// Rows and shuffles for permutation importance over <paramref name="columns"/> columns of a table of
    /// <paramref name="rows"/> rows: the full 3 shuffles of up to 1,000 rows when they fit in <paramref name="seconds"/>
    /// (null: no limit), else one shuffle of as many rows as fit, but never fewer than <see cref="FewestImportanceRows"/>.
    /// </summary>
    public static (int Rows, int Repeats) Importance(int rows, int columns, ScoringCost cost, double? seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        var full = Math.Min(rows, ImportanceRows);
        var limit = Math.Max(0, seconds ?? double.PositiveInfinity);
        if (ImportanceSeconds(cost, columns, ImportanceRepeats, full) <= limit)
            return (full, ImportanceRepeats);
        var (fitting, tooMany) = (0, full + 1);
        while (tooMany - fitting > 1)
        {
            var middle = (fitting + tooMany) / 2;
            (fitting, tooMany) = ImportanceSeconds(cost, columns, 1, middle) <= limit ? (middle, tooMany) : (fitting, middle);
        }
        return (Math.Max(fitting, Math.Min(full, FewestImportanceRows)), 1);
    }

    // The unshuffled rows in one pass, then every shuffle of every column in BatchedEvaluation's passes (the label is a
    // column of the table too).
    private static double ImportanceSeconds(ScoringCost cost, int columns, int repeats, int rows)
    {
        var shuffles = (long)columns * repeats;
        var passes = 1 + Math.Max(1, BatchedEvaluation.Passes(rows, columns + 1, shuffles));
        return passes * cost.PerPass + rows * (1 + shuffles) * cost.PerRow;
    }

    /// <summary>
    /// Explained rows, background rows and coalitions for Kernel SHAP of up to <paramref name="rows"/> rows in
    /// <paramref name="seconds"/> (null: no limit): the full sizes when they fit; else the background shrinks to
    /// <see cref="FewestShapBackground"/>, then fewer rows are explained, then one row gets fewer coalitions; null when not
    /// even one row with <see cref="FewestShapSamples"/> coalitions fits.
    /// </summary>
    public static (int Rows, int Background, int Samples)? Shap(int rows, int columns, ScoringCost cost, double? seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (rows == 0)
            return null;
        var limit = Math.Max(0, seconds ?? double.PositiveInfinity);
        if (rows * PerRow(cost, columns, ShapBackground, ShapSamples) <= limit)
            return (rows, ShapBackground, ShapSamples);
        var fittingRows = (int)Math.Min(rows, limit / PerRow(cost, columns, FewestShapBackground, ShapSamples));
        if (fittingRows >= 1)
            return (fittingRows, FewestShapBackground, ShapSamples);
        var left = limit - 3 * cost.PerPass;
        var samples = cost.PerRow == 0 ? (left >= 0 ? ShapSamples : 0) : (int)Math.Clamp(left / cost.PerRow / FewestShapBackground, 0, ShapSamples);
        return samples >= FewestShapSamples ? (1, FewestShapBackground, samples) : null;
    }

    // One explained row: its coalitions (as Kernel SHAP draws them) over the background, its own prediction and the background's (the base value).
    private static double PerRow(ScoringCost cost, int columns, int background, int samples) =>
        cost.Seconds(1, (long)background * Coalitions.Count(columns, samples)) + cost.Seconds(1, 1) + cost.Seconds(1, background);
}
