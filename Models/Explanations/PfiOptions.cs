namespace MlToolkit.Models.Explanations;

/// <summary>How permutation feature importance is measured.</summary>
public sealed record PfiOptions
{
    /// <summary>Shuffles per column. Default 5.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Rows of the data used (the first ones). Default 10,000.</summary>
    public int MaxRows { get; init; } = 10_000;

    /// <summary>The metric importance is measured in; null is the task's default (accuracy, or R² for regression).</summary>
    public string? Metric { get; init; }

    /// <summary>Columns not to permute; the label never is.</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = Array.Empty<string>();

    /// <summary>Seed of the shuffles. Default 1.</summary>
    public int Seed { get; init; } = 1;
}
