namespace MlToolkit.Models.Explanations;

/// <summary>How LIME is run.</summary>
public sealed record LimeOptions
{
    /// <summary>Perturbed samples per explained row. Default 2000.</summary>
    public int Samples { get; init; } = 2000;

    /// <summary>Rows of the training data the column statistics (mean, spread, value frequencies) are taken from. Default 1000.</summary>
    public int BackgroundRows { get; init; } = 1000;

    /// <summary>Width of the exponential proximity kernel; null is LIME's 0.75 · √(columns).</summary>
    public double? KernelWidth { get; init; }

    /// <summary>Ridge penalty of the surrogate. Default 1, as LIME's.</summary>
    public double Ridge { get; init; } = 1;

    /// <summary>For multiclass models, the class whose probability is explained; null explains each row's predicted class.</summary>
    public string? Class { get; init; }

    /// <summary>Columns not to explain (kept at the row's value); the label is never explained.</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = Array.Empty<string>();

    /// <summary>Seed of the sampling. Default 1.</summary>
    public int Seed { get; init; } = 1;
}
