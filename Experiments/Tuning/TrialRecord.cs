using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Tuning;

/// <summary>Why a trial was run.</summary>
public enum TrialOrigin
{
    /// <summary>Proposed by the tuner.</summary>
    Tuner,

    /// <summary>Enqueued by the user (e.g. a known good configuration to start from).</summary>
    Enqueued,

    /// <summary>A rerun of a trial that was cancelled or whose process died.</summary>
    Retry,
}

/// <summary>Everything stored about one trial.</summary>
public sealed record TrialRecord
{
    /// <summary>0-based number, unique within the experiment, in start order.</summary>
    public required int Number { get; init; }

    /// <summary>The configuration evaluated.</summary>
    public required ParameterSet Configuration { get; init; }

    /// <summary>Current state.</summary>
    public required TrialState State { get; init; }

    /// <summary>Why it ran.</summary>
    public TrialOrigin Origin { get; init; }

    /// <summary>For a retry, the number of the trial it reruns.</summary>
    public int? RetryOf { get; init; }

    /// <summary>The metric (mean over folds) of a complete trial.</summary>
    public double? Value { get; init; }

    /// <summary>Standard deviation of the metric over folds (null for a holdout).</summary>
    public double? ValueStd { get; init; }

    /// <summary>The metric per fold.</summary>
    public IReadOnlyList<double> FoldValues { get; init; } = Array.Empty<double>();

    /// <summary>Other metrics (mean over folds), by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>JSON the objective kept for reports (e.g. an out-of-fold confusion matrix or residuals); null if none.</summary>
    public string? Diagnostics { get; init; }

    /// <summary>Intermediate losses by step (e.g. validation loss per epoch), as reported to the pruner.</summary>
    public IReadOnlyDictionary<int, double> Intermediate { get; init; } = new Dictionary<int, double>();

    /// <summary>When it started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>Wall-clock time it ran.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Highest working set of the process seen while it ran, in MiB.</summary>
    public double? PeakMemoryMb { get; init; }

    /// <summary>Why it failed, was pruned or cancelled.</summary>
    public string? Error { get; init; }
}
