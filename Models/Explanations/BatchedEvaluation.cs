using Microsoft.ML;
using MlToolkit.Data.IO;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// The metrics of many variants of one table (each a <see cref="ColumnTable.Compose"/> of its rows), scored a batch of
/// variants at a time instead of one pass each: a pass costs an ensemble tens of milliseconds before its first row,
/// which permutation importance would otherwise pay once per column and shuffle.
/// </summary>
internal static class BatchedEvaluation
{
    /// <summary>Rows scored in one pass at most (more variants than fit are split into several passes).</summary>
    public const int RowsPerPass = 100_000;

    /// <summary>Row indices one pass holds at most (every column of every variant in it): 16 MiB, however wide the table.</summary>
    public const int IndicesPerPass = 4_000_000;

    /// <summary>Variants of a table of <paramref name="rows"/> rows and <paramref name="columns"/> columns that one pass scores.</summary>
    public static int VariantsPerPass(int rows, int columns, int rowsPerPass = RowsPerPass) =>
        (int)Math.Max(1, Math.Min(rowsPerPass / Math.Max(1, rows), IndicesPerPass / Math.Max(1L, (long)rows * columns)));

    /// <summary>Passes that <paramref name="variants"/> variants of such a table take.</summary>
    public static long Passes(int rows, int columns, long variants)
    {
        var perPass = VariantsPerPass(rows, columns);
        return (variants + perPass - 1) / perPass;
    }

    // What ML.NET's evaluators read of a scored view; nothing else of it is kept.
    private static readonly string[] ScoredColumns = { "Label", "Score", "Probability", "PredictedLabel" };

    /// <summary>
    /// For each variant (one row-index array per column of <paramref name="table"/>, all of the table's length), the
    /// task's metrics of <paramref name="model"/> on it, in the order of <see cref="ModelEvaluator.Metrics"/>; at most
    /// <paramref name="rowsPerPass"/> rows are scored in one pass (but always one variant).
    /// </summary>
    public static List<List<KeyValuePair<string, double>>> Metrics(MLContext ml, TrainedModel model, ColumnTable table, IReadOnlyList<int[][]> variants, int rowsPerPass = RowsPerPass)
    {
        var results = new List<List<KeyValuePair<string, double>>>(variants.Count);
        var perPass = VariantsPerPass(table.Rows, table.Schema.Count, rowsPerPass);
        for (var first = 0; first < variants.Count; first += perPass)
            results.AddRange(ScoreBatch(ml, model, table, variants.Skip(first).Take(perPass).ToList()));
        return results;
    }

    private static IEnumerable<List<KeyValuePair<string, double>>> ScoreBatch(MLContext ml, TrainedModel model, ColumnTable table, IReadOnlyList<int[][]> batch)
    {
        var joined = Enumerable.Range(0, table.Schema.Count).Select(c => batch.SelectMany(variant => variant[c]).ToArray()).ToArray();
        var scored = model.Score(model.LabelEncoder.Transform(table.Compose(joined)));
        var kept = ScoredColumns.Where(name => scored.Schema.GetColumnOrNull(name) is not null).ToArray();
        var rows = ColumnTable.Read(ml.Transforms.SelectColumns(kept).Fit(scored).Transform(scored));
        for (var v = 0; v < batch.Count; v++)
        {
            var slice = Enumerable.Range(v * table.Rows, table.Rows).ToArray();
            yield return ModelEvaluator.Metrics(ml, model.Description.Task, rows.Compose(Enumerable.Repeat(slice, kept.Length).ToArray()));
        }
    }
}
