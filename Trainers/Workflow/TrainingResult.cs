using MlToolkit.Trainers.Evaluation;
using MlToolkit.Trainers.Models;

namespace MlToolkit.Trainers.Workflow;

/// <summary>The outcome of <see cref="SupervisedTraining.Run"/>.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="Test">Metrics on the held-out or given test data.</param>
/// <param name="TrainRows">Rows trained on.</param>
/// <param name="Duration">Wall-clock time of fitting (not of evaluation).</param>
public sealed record TrainingResult(TrainedModel Model, EvaluationReport Test, long TrainRows, TimeSpan Duration);
