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
    public override bool TrainsWithTorch => true;

    /// <inheritdoc/>
    public override string Description => "convolutional image classifier (TorchSharp; features read as a C×H×W image)";

    /// <inheritdoc/>
    public override TrainerInput Input => TrainerInput.ImageTensor;

    /// <inheritdoc/>
    public override IReadOnlyList<PredictionTask> Tasks { get; } = new[] { PredictionTask.BinaryClassification, PredictionTask.MulticlassClassification };

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 3, maxEpochs: 30, defaultEpochs: 5, defaultLearningRate: 1e-3)
        .Choice("filters", new[] { "16", "32", "64" }, "16")
        .Int("blocks", 1, 3, defaultValue: 2)
        .Int("dense", 32, 256, log: true, defaultValue: 64)
        .Float("dropout", 0, 0.5, defaultValue: 0.25);

    /// <summary>A single run trains blocks of 32 and 64 filters and a 128-wide dense layer for 20 epochs; AutoML starts at 16 filters, 5 epochs.</summary>
    public override ParameterSet Defaults(PredictionTask task) => SearchSpace(task).Defaults(new Dictionary<string, ParameterValue>
    {
        ["epochs"] = 20, ["filters"] = "32", ["dense"] = 128,
    });

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        CheckCreate(mlContext, task, parameters, context);
        var filters = parameters.GetInt("filters");
        var options = TorchCandidateSupport.Apply(new CnnTrainer.Options
        {
            Blocks = Enumerable.Range(0, parameters.GetInt("blocks")).Select(i => new ConvBlock(filters << i)).ToArray(),
            DenseLayers = new[] { parameters.GetInt("dense") },
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        return new CnnTrainer(task, options);
    }
}
