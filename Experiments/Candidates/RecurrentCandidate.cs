using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Sequence;

namespace MlToolkit.Experiments.Candidates;

/// <summary>The TorchSharp bidirectional LSTM or GRU over token ids.</summary>
public sealed class RecurrentCandidate : TrialCandidate
{
    private readonly RnnCell _cell;

    /// <summary>Creates the candidate for one cell type.</summary>
    public RecurrentCandidate(RnnCell cell) => _cell = cell;

    /// <inheritdoc/>
    public override string Name => _cell == RnnCell.Lstm ? "lstm" : "gru";

    /// <inheritdoc/>
    public override bool TrainsWithTorch => true;

    /// <inheritdoc/>
    public override string Description => $"bidirectional {Name.ToUpperInvariant()} over token ids (TorchSharp; reads one text column)";

    /// <inheritdoc/>
    public override TrainerInput Input => TrainerInput.TokenIds;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 2, maxEpochs: 15, defaultEpochs: 3, defaultLearningRate: 2e-3)
        .Int("embedding", 32, 256, log: true, defaultValue: 64)
        .Int("hidden", 32, 256, log: true, defaultValue: 64)
        .Int("layers", 1, 2, defaultValue: 1)
        .Float("dropout", 0, 0.5, defaultValue: 0.3);

    /// <summary>A single run trains 128-wide embeddings and states for 5 epochs; AutoML starts at 64 wide, 3 epochs.</summary>
    public override ParameterSet Defaults(PredictionTask task) => SearchSpace(task).Defaults(new Dictionary<string, ParameterValue>
    {
        ["epochs"] = 5, ["embedding"] = 128, ["hidden"] = 128,
    });

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        CheckCreate(mlContext, task, parameters, context);
        var options = TorchCandidateSupport.Apply(new RnnTrainer.Options
        {
            Cell = _cell,
            EmbeddingDim = parameters.GetInt("embedding"),
            HiddenSize = parameters.GetInt("hidden"),
            Layers = parameters.GetInt("layers"),
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        return new RnnTrainer(task, options);
    }
}
