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
        var perPass = Math.Max(1, rowsPerPass / Math.Max(1, table.Rows));
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
