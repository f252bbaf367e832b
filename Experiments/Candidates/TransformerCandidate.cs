using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Torch.Sequence;

namespace MlToolkit.Experiments.Candidates;

/// <summary>The TorchSharp transformer encoder over token ids: width, heads, blocks, feed-forward ratio, dropout.</summary>
public sealed class TransformerCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "transformer";

    /// <inheritdoc/>
    public override bool TrainsWithTorch => true;

    /// <inheritdoc/>
    public override string Description => "transformer encoder over token ids (TorchSharp; reads one text column)";

    /// <inheritdoc/>
    public override TrainerInput Input => TrainerInput.TokenIds;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 2, maxEpochs: 15, defaultEpochs: 4, defaultLearningRate: 2e-3, defaultOptimizer: "adamw")
        .Choice("model_dim", new[] { "32", "64", "128" }, "64")
        .Choice("heads", new[] { "1", "2", "4" }, "2")
        .Int("layers", 1, 3, defaultValue: 1)
        .Choice("ffn_ratio", new[] { "2", "4" }, "2")
        .Float("dropout", 0, 0.3, defaultValue: 0.1);

    /// <summary>A single run trains for 5 epochs with weight decay 0.01 (the encoder's own defaults); AutoML starts at 4 epochs.</summary>
    public override ParameterSet Defaults(PredictionTask task) => SearchSpace(task).Defaults(new Dictionary<string, ParameterValue>
    {
        ["epochs"] = 5, ["weight_decay"] = 0.01,
    });

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        CheckCreate(mlContext, task, parameters, context);
        var width = parameters.GetInt("model_dim");
        var options = TorchCandidateSupport.Apply(new TransformerTrainer.Options
        {
            ModelDim = width,
            Heads = parameters.GetInt("heads"),
            Layers = parameters.GetInt("layers"),
            FeedForwardDim = width * parameters.GetInt("ffn_ratio"),
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        return new TransformerTrainer(task, options);
    }
}
