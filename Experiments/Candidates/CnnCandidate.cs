using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;

namespace MlToolkit.Experiments.Candidates;

/// <summary>The TorchSharp convolutional image classifier: filters, blocks, dense width and dropout.</summary>
public sealed class CnnCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "cnn";

    /// <inheritdoc/>
    public override bool ReadsImages => true;

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => task != PredictionTask.Regression;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 3, maxEpochs: 30, defaultEpochs: 5, defaultLearningRate: 1e-3)
        .Choice("filters", new[] { "16", "32", "64" }, "16")
        .Int("blocks", 1, 3, defaultValue: 2)
        .Int("dense", 32, 256, log: true, defaultValue: 64)
        .Float("dropout", 0, 0.5, defaultValue: 0.25);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        var filters = parameters.GetInt("filters");
        var options = TorchCandidateSupport.Apply(new CnnTrainer.Options
        {
            Blocks = Enumerable.Range(0, parameters.GetInt("blocks")).Select(i => new ConvBlock(filters << i)).ToArray(),
            DenseLayers = new[] { parameters.GetInt("dense") },
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        return Supports(task) ? new CnnTrainer(task, options) : throw Unsupported(task);
    }
}
