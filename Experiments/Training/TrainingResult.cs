using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Models.Evaluation;
using MlToolkit.Models;

namespace MlToolkit.Experiments.Training;

/// <summary>The outcome of <see cref="SupervisedTraining.Run"/>.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="Test">Metrics on the held-out or given test data.</param>
/// <param name="TrainRows">Rows trained on.</param>
/// <param name="Duration">Wall-clock time of fitting (not of evaluation).</param>
/// <param name="Hyperparameters">The configuration the trainer was built from: its defaults with the request's overrides.</param>
public sealed record TrainingResult(TrainedModel Model, EvaluationReport Test, long TrainRows, TimeSpan Duration, ParameterSet Hyperparameters)
{
    /// <summary>Rows of the data left out, before the split, because their label is missing.</summary>
    public int RowsWithoutLabel { get; init; }
}
