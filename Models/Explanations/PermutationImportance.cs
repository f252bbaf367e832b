using Microsoft.ML;
using MlToolkit.Data.IO;
using MlToolkit.Models.Evaluation;

namespace MlToolkit.Models.Explanations;

/// <summary>
/// Permutation feature importance on the model's raw input columns: each column's values are shuffled across the
/// rows (so a one-hot or TF-IDF expansion moves with its source column), the model is evaluated again, and the change
/// in every metric is averaged over repeats with its standard error. Works for any model that scores rows.
/// </summary>
public static class PermutationImportance
{
    /// <summary>Measures how much each input column of <paramref name="data"/> (labelled) matters to <paramref name="model"/>.</summary>
    /// <exception cref="SchemaException">The data lacks the label or a column the model needs.</exception>
    public static PermutationImportanceResult Compute(MLContext mlContext, TrainedModel model, IDataView data, PfiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new PfiOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Repeats, 1, nameof(PfiOptions.Repeats));
        // A row without a label cannot lose or gain the metric when a column is shuffled.
        if (!model.IsPipeline)
            data = MlToolkit.Data.Splits.LabelledRows.Of(data, model.Description.LabelColumn).Rows;
        var table = ColumnTable.Read(data, options.MaxRows);
        var metric = MetricDefinition.Get(model.Description.Task, options.Metric);
        var identity = Enumerable.Range(0, table.Rows).ToArray();
        var baseline = ModelEvaluator.Evaluate(mlContext, model, table.ToDataView());
        var features = ExplainedColumns.Of(model, table, options.IgnoreColumns.ToHashSet(StringComparer.Ordinal));
        var random = new Random(options.Seed);
        // One shuffle per column and repeat, drawn in this order so that a seed always gives the same shuffles.
        var shuffles = features.SelectMany(feature => Enumerable.Range(0, options.Repeats).Select(_ =>
            Enumerable.Range(0, table.Schema.Count).Select(c => c == feature ? identity.ToArray().Shuffled(random) : identity).ToArray())).ToList();
        var permuted = BatchedEvaluation.Metrics(mlContext, model, table, shuffles);
        var columns = new List<ColumnImportance>();
        for (var f = 0; f < features.Length; f++)
        {
            var repeats = permuted.Skip(f * options.Repeats).Take(options.Repeats).ToList();
            var changes = baseline.Metrics.ToDictionary(p => p.Key, p => repeats.Select(r => r.First(m => m.Key == p.Key).Value - p.Value).ToList());
            var primary = changes[metric.Name].Select(c => metric.Maximize ? -c : c).ToList();
            columns.Add(new ColumnImportance(table.Schema[features[f]].Name, primary.Average(), StandardError(primary),
                changes.ToDictionary(p => p.Key, p => p.Value.Average())));
        }
        return new PermutationImportanceResult(metric.Name, metric.Maximize, baseline[metric.Name], table.Rows, options.Repeats,
            columns.OrderByDescending(c => c.Importance).ToList());
    }

    private static double StandardError(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
            return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count);
    }
}
