using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Transforms;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Heads;
using MlToolkit.Trainers.Torch.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>
/// The training machinery every TorchSharp trainer shares, with nothing task-specific in it (that is the
/// <see cref="PredictionHead"/>'s job) and nothing architecture-specific (that is the derived trainer's).
/// Streams mini-batches from any <see cref="IDataView"/>, shuffles per epoch with a seed, runs the optimizer with
/// the learning-rate schedule, L1/L2 penalties and gradient clipping, validates each epoch, stops early, keeps the
/// best epoch's weights, reports progress and honours cancellation at every step. Each <c>Fit</c> builds a fresh
/// network and never modifies the options.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class TorchTrainerBase<TOptions> : IEstimator<TorchPredictionTransformer>
    where TOptions : TorchTrainerOptions
{
    private readonly TOptions _options;

    /// <summary>Validates and snapshots <paramref name="options"/> for <paramref name="task"/>.</summary>
    protected TorchTrainerBase(PredictionTask task, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Task = task;
        _options = (TOptions)options.Clone();
    }

    /// <summary>The task this trainer was created for.</summary>
    public PredictionTask Task { get; }

    /// <summary>A copy of the options (changing it does not affect the trainer).</summary>
    public TOptions Settings => (TOptions)_options.Clone();

    /// <summary>The network to train for one example of <paramref name="inputShape"/> and <paramref name="outputSize"/> outputs;
    /// <paramref name="data"/> lets a trainer size what the data decides (e.g. the vocabulary).</summary>
    protected abstract NetworkArchitecture CreateArchitecture(TOptions options, long[] inputShape, int outputSize, TrainingData data);

    /// <summary>Sets starting weights after the network is built; the default loads <see cref="TorchTrainerOptions.InitialWeightsPath"/> when set.</summary>
    /// <exception cref="SchemaException">The file's weights do not fit the network.</exception>
    protected virtual void InitializeWeights(TOptions options, nn.Module<Tensor, Tensor> module)
    {
        if (options.InitialWeightsPath is { } path)
            WeightFiles.LoadInto(module, path, "the network");
    }

    /// <summary>The shape of one example given the feature column (default: a flat vector).</summary>
    /// <exception cref="SchemaException">The column cannot be read in the shape this trainer needs.</exception>
    protected virtual long[] InputShape(TOptions options, DataViewSchema.Column features, int featureSize) => new long[] { featureSize };

    /// <summary>
    /// The head for the training label: the loss, the output width and the output columns. Override to train with a
    /// head of your own (register its type with <see cref="PredictionHeads.Register{T}"/> so models holding it save and load).
    /// </summary>
    protected virtual PredictionHead CreateHead(DataViewSchema.Column label) => PredictionHead.ForLabel(Task, label);

    /// <summary>Training-time augmentation of a batch [batch, ..inputShape]; the default returns it unchanged.</summary>
    protected virtual Tensor Augment(TOptions options, Tensor batch, Random random) => batch;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        TrainerColumns.OutputSchema(inputSchema, _options.FeatureColumnName, _options.LabelColumnName, CreateHead);

    /// <inheritdoc/>
    public TorchPredictionTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="trainData"/>, validating on <paramref name="validationData"/> after every epoch
    /// (or on <see cref="TorchTrainerOptions.ValidationFraction"/> held out from the training data when null).</summary>
    /// <exception cref="SchemaException">Missing or mistyped columns, no rows, or a single class.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired.</exception>
    public TorchPredictionTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        TorchRuntime.EnsureLoaded();
        var options = _options;
        var featureColumn = FeatureColumn(trainData.Schema);
        var labelColumn = LabelColumn(trainData.Schema);
        var featureSize = TorchPredictionTransformer.FeatureSizeOf(featureColumn.Type);
        var inputShape = InputShape(options, featureColumn, featureSize);
        var head = CreateHead(labelColumn);

        if (validationData is null && options.ValidationFraction > 0)
        {
            var split = DataSplits.TrainTest(trainData, options.ValidationFraction, options.Seed,
                Task == PredictionTask.Regression ? null : labelColumn.Name);
            trainData = split.Train;
            validationData = split.Test;
        }
        if (validationData is not null)
        {
            FeatureColumn(validationData.Schema);
            CreateHead(LabelColumn(validationData.Schema));
        }

        var (rows, distinct) = TrainerColumns.LabelCensus(trainData, labelColumn, head);
        if (rows == 0)
            throw TrainerColumns.NoRows(labelColumn.Name);
        head.CheckDistinctLabels(labelColumn.Name, distinct);

        TorchThreads.Apply(options.Threads);
        torch.manual_seed(options.Seed);
        var architecture = CreateArchitecture(options, inputShape, head.OutputSize, new TrainingData(trainData, featureColumn));
        var module = architecture.Build(inputShape, head.OutputSize);
        try
        {
            InitializeWeights(options, module);
            var loop = new TrainingLoop(options, module, head, inputShape, featureColumn, featureSize, (batch, random) => Augment(options, batch, random),
                teacher: TeacherScores.Column(options.TeacherScoreColumnName, trainData.Schema, head));
            var summary = loop.Run(trainData, labelColumn, validationData, rows);
            return new TorchPredictionTransformer(new TorchNetwork(module, architecture, head, inputShape), options.FeatureColumnName, options.InferenceBatchSize, options.Threads, summary);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private DataViewSchema.Column FeatureColumn(DataViewSchema schema) => TrainerColumns.Features(schema, _options.FeatureColumnName);

    private DataViewSchema.Column LabelColumn(DataViewSchema schema) => TrainerColumns.Label(schema, _options.LabelColumnName);
}
