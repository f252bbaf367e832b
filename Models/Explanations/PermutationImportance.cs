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
        var table = ColumnTable.Read(data, options.MaxRows);
        var metric = MetricDefinition.Get(model.Description.Task, options.Metric);
        var identity = Enumerable.Range(0, table.Rows).ToArray();
        var baseline = ModelEvaluator.Evaluate(mlContext, model, table.ToDataView());
        var features = ExplainedColumns.Of(model, table, options.IgnoreColumns.ToHashSet(StringComparer.Ordinal));
        var random = new Random(options.Seed);
        var columns = new List<ColumnImportance>();
        foreach (var feature in features)
        {
            var changes = new Dictionary<string, List<double>>();
            for (var repeat = 0; repeat < options.Repeats; repeat++)
            {
                var rows = Enumerable.Range(0, table.Schema.Count).Select(c => c == feature ? identity.ToArray().Shuffled(random) : identity).ToArray();
                var permuted = ModelEvaluator.Evaluate(mlContext, model, table.Compose(rows));
                foreach (var (name, value) in permuted.Metrics)
                {
                    if (!changes.TryGetValue(name, out var list))
                        changes[name] = list = new List<double>();
                    list.Add(value - baseline[name]);
                }
            }
            var primary = changes[metric.Name].Select(c => metric.Maximize ? -c : c).ToList();
            columns.Add(new ColumnImportance(table.Schema[feature].Name, primary.Average(), StandardError(primary),
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
