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
    public override bool ReadsTokenSequences => true;

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 2, maxEpochs: 15, defaultEpochs: 3, defaultLearningRate: 2e-3)
        .Int("embedding", 32, 256, log: true, defaultValue: 64)
        .Int("hidden", 32, 256, log: true, defaultValue: 64)
        .Int("layers", 1, 2, defaultValue: 1)
        .Float("dropout", 0, 0.5, defaultValue: 0.3);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        var options = TorchCandidateSupport.Apply(new RnnTrainer.Options
        {
            Cell = _cell,
            EmbeddingDim = parameters.GetInt("embedding"),
            HiddenSize = parameters.GetInt("hidden"),
            Layers = parameters.GetInt("layers"),
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        return Supports(task) ? new RnnTrainer(task, options) : throw Unsupported(task);
    }
}
