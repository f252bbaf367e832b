using MlToolkit.Data;
using Microsoft.ML;
using MlToolkit.Data.Delimited;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Experiments.Candidates;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Training;

/// <summary>What to train: data, label, task, trainer and how to hold out test data.</summary>
public sealed record TrainingRequest
{
    /// <summary>The training data.</summary>
    public required IDataView Data { get; init; }

    /// <summary>How the data becomes features; null featurizes a <see cref="DelimitedDataView"/> by its inferred layout.</summary>
    public IFeaturePlan? Features { get; init; }

    /// <summary>The column to predict.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>The task; null infers it from the label (text or few whole numbers: classification).</summary>
    public PredictionTask? Task { get; init; }

    /// <summary>Trainer name (see <see cref="CandidateCatalog"/>). Default null: a strong one for the data (<see cref="CandidateCatalog.SingleRunDefault"/>).</summary>
    public string? Trainer { get; init; }

    /// <summary>A trainer object to use instead of looking <see cref="Trainer"/> up in the catalog (one of your own, for example).</summary>
    public TrialCandidate? Candidate { get; init; }

    /// <summary>Hyperparameters that replace the trainer's <see cref="TrialCandidate.Defaults"/>, by their search-space names.</summary>
    public IReadOnlyDictionary<string, ParameterValue> Hyperparameters { get; init; } = new Dictionary<string, ParameterValue>();

    /// <summary>Separate test data; when null, <see cref="TestFraction"/> of the data is held out.</summary>
    public IDataView? TestData { get; init; }

    /// <summary>Share of rows held out for testing when no test data is given. Default 0.2.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seed of the split and of the trainer. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Columns not to use as features (tabular data).</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = Array.Empty<string>();

    /// <summary>For binary classification, the class scored as true; null picks the one that sorts last.</summary>
    public string? PositiveClass { get; init; }

    /// <summary>Threads the trainer may use; null lets it decide.</summary>
    public int? Threads { get; init; }

    /// <summary>Epochs for iterative trainers (the torch ones); null keeps the trainer's default.</summary>
    public int? Epochs { get; init; }

    /// <summary>Per-step and per-epoch progress of torch trainers.</summary>
    public IProgress<MlToolkit.Trainers.Torch.Training.TrainingProgress>? Progress { get; init; }
}
