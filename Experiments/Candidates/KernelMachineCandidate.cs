using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Torch.Kernels;

namespace MlToolkit.Experiments.Candidates;

/// <summary>
/// The RBF kernel machine (kernel ridge; exact up to 2,000 rows, Nyström above) over the min-max-scaled features:
/// the ridge penalty and a factor on scikit-learn's "scale" γ.
/// </summary>
public sealed class KernelMachineCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "kernel";

    /// <inheritdoc/>
    public override bool TrainsWithTorch => true;

    /// <inheritdoc/>
    public override string Description => "RBF kernel machine (kernel ridge, Nyström on large data; TorchSharp)";

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Float("regularization", 1e-4, 10, log: true, defaultValue: task == PredictionTask.Regression ? 1 : 0.1)
        .Float("gamma_scale", 0.05, 20, log: true, defaultValue: 1);

    /// <summary>
    /// The defaults, and a less regularized fit. An exact fit's cost grows with the cube of the rows, so on more than
    /// 1,500 rows they rank after LightGBM's first start.
    /// </summary>
    public override IReadOnlyList<StrongStart> StrongStarts(PredictionTask task, DataShape data)
    {
        var cost = data.Rows <= 1500 ? 2 : 4;
        return new[]
        {
            StrongStart.Defaults(cost),
            new StrongStart(new Dictionary<string, ParameterValue> { ["regularization"] = task == PredictionTask.Regression ? 0.1 : 0.01 }, cost),
        };
    }

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        CheckCreate(mlContext, task, parameters, context);
        return new KernelMachineTrainer(task, new KernelMachineTrainer.Options
        {
            Regularization = parameters.GetDouble("regularization"),
            GammaScale = parameters.GetDouble("gamma_scale"),
            Threads = context.Threads,
            Seed = context.Seed,
            CancellationToken = context.CancellationToken,
        });
    }
}
