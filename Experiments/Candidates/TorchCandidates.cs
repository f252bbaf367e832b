using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Trainers.Torch.Sequence;

namespace MlToolkit.Experiments.Candidates;

/// <summary>The TorchSharp multilayer perceptron: width, depth and dropout on top of the shared optimization space.</summary>
public sealed class MlpCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "mlp";

    /// <inheritdoc/>
    public override bool NeedsNormalizedFeatures => true;

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 5, maxEpochs: 100, defaultEpochs: 10, defaultLearningRate: 1e-3)
        .Int("width", 16, 512, log: true, defaultValue: 64)
        .Int("depth", 1, 3, defaultValue: 1)
        .Float("dropout", 0, 0.5, defaultValue: 0.1);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        var width = parameters.GetInt("width");
        var options = TorchCandidateSupport.Apply(new MlpTrainer.Options
        {
            // Each layer half as wide as the one before: the usual funnel.
            HiddenLayers = Enumerable.Range(0, parameters.GetInt("depth")).Select(i => Math.Max(8, width >> i)).ToArray(),
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        return Supports(task) ? new MlpTrainer(task, options) : throw Unsupported(task);
    }
}

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

/// <summary>The TorchSharp transformer encoder over token ids: width, heads, blocks, feed-forward ratio, dropout.</summary>
public sealed class TransformerCandidate : TrialCandidate
{
    /// <inheritdoc/>
    public override string Name => "transformer";

    /// <inheritdoc/>
    public override bool ReadsTokenSequences => true;

    /// <inheritdoc/>
    public override bool Supports(PredictionTask task) => true;

    /// <inheritdoc/>
    public override SearchSpace SearchSpace(PredictionTask task) => new SearchSpace()
        .Optimization(minEpochs: 2, maxEpochs: 15, defaultEpochs: 4, defaultLearningRate: 2e-3, defaultOptimizer: "adamw")
        .Choice("model_dim", new[] { "32", "64", "128" }, "64")
        .Choice("heads", new[] { "1", "2", "4" }, "2")
        .Int("layers", 1, 3, defaultValue: 1)
        .Choice("ffn_ratio", new[] { "2", "4" }, "2")
        .Float("dropout", 0, 0.3, defaultValue: 0.1);

    /// <inheritdoc/>
    public override IEstimator<ITransformer> CreateTrainer(MLContext mlContext, PredictionTask task, ParameterSet parameters, CandidateContext context)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(parameters);
        var width = parameters.GetInt("model_dim");
        var options = TorchCandidateSupport.Apply(new TransformerTrainer.Options
        {
            ModelDim = width,
            Heads = parameters.GetInt("heads"),
            Layers = parameters.GetInt("layers"),
            FeedForwardDim = width * parameters.GetInt("ffn_ratio"),
            Dropout = parameters.GetDouble("dropout"),
        }, parameters, context);
        return Supports(task) ? new TransformerTrainer(task, options) : throw Unsupported(task);
    }
}
