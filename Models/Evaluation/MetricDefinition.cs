using MlToolkit.Data;

namespace MlToolkit.Models.Evaluation;

/// <summary>A metric a model is evaluated on, with its direction (what AutoML optimizes, what importance is measured in). Names are those of <c>ModelEvaluator.Metrics</c>.</summary>
/// <param name="Name">Metric name (e.g. <c>accuracy</c>, <c>auc</c>, <c>rmse</c>).</param>
/// <param name="Maximize">True when higher is better.</param>
public sealed record MetricDefinition(string Name, bool Maximize)
{
    private static readonly Dictionary<PredictionTask, MetricDefinition[]> ByTask = new()
    {
        [PredictionTask.MulticlassClassification] = new MetricDefinition[] { new("accuracy", true), new("macro_accuracy", true), new("log_loss", false), new("log_loss_reduction", true) },
        [PredictionTask.BinaryClassification] = new MetricDefinition[] { new("accuracy", true), new("auc", true), new("f1", true), new("precision", true), new("recall", true), new("log_loss", false) },
        [PredictionTask.Regression] = new MetricDefinition[] { new("r_squared", true), new("rmse", false), new("mae", false), new("mse", false) },
    };

    /// <summary>The metrics of <paramref name="task"/>; the first is the default (accuracy, or R² for regression).</summary>
    public static IReadOnlyList<MetricDefinition> For(PredictionTask task) => ByTask[task];

    /// <summary>The metric called <paramref name="name"/> for <paramref name="task"/>, or the task's default when null.</summary>
    /// <exception cref="ArgumentException">The task has no such metric; the message lists those it has.</exception>
    public static MetricDefinition Get(PredictionTask task, string? name) => name is null
        ? ByTask[task][0]
        : ByTask[task].FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
          ?? throw new ArgumentException($"Unknown metric '{name}' for {task}. Metrics: {string.Join(", ", ByTask[task].Select(m => m.Name))}.", nameof(name));
}
