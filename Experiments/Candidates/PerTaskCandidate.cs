using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// A trainer that is a different ML.NET estimator per task (ML.NET's task catalogs): it says how to build each,
/// and this class picks by task, the one place where a task decides which estimator is built.
/// </summary>
public abstract class PerTaskCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public sealed override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        CheckCreate(mlContext, task, parameters, context);
        return task switch
        {
            PredictionTask.BinaryClassification => Binary(mlContext, parameters, context),
            PredictionTask.MulticlassClassification => Multiclass(mlContext, parameters, context),
            PredictionTask.Regression => Regression(mlContext, parameters, context),
            _ => null,
        } ?? throw new NotSupportedException($"Trainer '{Name}' declares {task} but builds no estimator for it.");
    }

    /// <summary>The binary classifier; null when not supported.</summary>
    protected virtual IEstimator<ITransformer>? Binary(MLContext mlContext, ParameterSet parameters, CandidateContext context) => null;

    /// <summary>The multiclass classifier; null when not supported.</summary>
    protected virtual IEstimator<ITransformer>? Multiclass(MLContext mlContext, ParameterSet parameters, CandidateContext context) => null;

    /// <summary>The regressor; null when not supported.</summary>
    protected virtual IEstimator<ITransformer>? Regression(MLContext mlContext, ParameterSet parameters, CandidateContext context) => null;
}
