using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Transforms;
using MlToolkit.Trainers.Native;
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

    /// <summary>Training-time augmentation of a batch [batch, ..inputShape]; the default returns it unchanged.</summary>
    protected virtual Tensor Augment(TOptions options, Tensor batch, Random random) => batch;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = SchemaShapes.ToSchema(inputSchema);
        // A SchemaShape keeps a vector's kind but not its size (ToSchema makes it 1), so only presence and type are
        // checked here; Fit checks the size against the image or sequence shape.
        FeatureColumn(schema);
        var head = PredictionHead.ForLabel(Task, LabelColumn(schema));
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(schema);
        foreach (var column in head.OutputColumns)
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        return SchemaShapes.FromSchema(builder.ToSchema());
    }

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
        var head = PredictionHead.ForLabel(Task, labelColumn);

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
            PredictionHead.ForLabel(Task, LabelColumn(validationData.Schema));
        }

        var (rows, distinct) = LabelCensus(trainData, labelColumn, head);
        if (rows == 0)
            throw new SchemaException($"The training data has no rows with a label in '{labelColumn.Name}'; there is nothing to train on.");
        head.CheckDistinctLabels(labelColumn.Name, distinct);

        if (options.Threads is { } threads)
            torch.set_num_threads(threads);
        torch.manual_seed(options.Seed);
        var architecture = CreateArchitecture(options, inputShape, head.OutputSize, new TrainingData(trainData, featureColumn));
        var module = architecture.Build(inputShape, head.OutputSize);
        try
        {
            InitializeWeights(options, module);
            var summary = Train(options, module, head, inputShape, featureColumn, featureSize, labelColumn, trainData, validationData, rows);
            return new TorchPredictionTransformer(new TorchNetwork(module, architecture, head, inputShape), options.FeatureColumnName, options.InferenceBatchSize, options.Threads, summary);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private TrainingSummary Train(TOptions options, nn.Module<Tensor, Tensor> module, PredictionHead head, long[] inputShape,
        DataViewSchema.Column featureColumn, int featureSize, DataViewSchema.Column labelColumn, IDataView trainData, IDataView? validationData, long rows)
    {
        var reader = new BatchReader(trainData, featureColumn, featureSize, labelColumn, head);
        var shuffleRows = BatchReader.ShuffleBufferRows(options.ShuffleBufferRows, featureSize, options.BatchSize, options.ShuffleBufferMegabytes * 1024L * 1024, featureColumn.Name);
        var stepsPerEpoch = (rows + options.BatchSize - 1) / options.BatchSize;
        var schedule = new LearningRateSchedule(options.LearningRateSchedule, options.LearningRate, stepsPerEpoch, stepsPerEpoch * options.Epochs,
            options.WarmupEpochs, options.StepEpochs, options.StepGamma, options.MinLearningRate);
        using var optimizer = OptimizerFactory.Create(options, module.parameters());
        var penalized = module.parameters().Where(p => p.dim() > 1).ToList();
        var augmentRandom = new Random(unchecked(options.Seed * 31 + 7));
        var epochs = new List<EpochRecord>();
        Dictionary<string, Tensor>? bestWeights = null;
        double? bestScore = null;
        var bestEpoch = 0;
        var sinceImprovement = 0;
        long step = 0;
        var stoppedEarly = false;
        var skipped = 0L;

        try
        {
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                module.train();
                var clock = Stopwatch.StartNew();
                double lossSum = 0;
                long seen = 0;
                var shuffle = options.Shuffle ? new Random(unchecked(options.Seed * 7919 + epoch)) : null;
                foreach (var batch in reader.Read(options.BatchSize, shuffle, shuffleRows, options.CancellationToken))
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    var rate = schedule.At(step);
                    OptimizerFactory.SetLearningRate(optimizer, rate);
                    step++;
                    double loss;
                    using (var scope = torch.NewDisposeScope())
                    {
                        var x = Augment(options, BatchTensor(batch, inputShape), augmentRandom);
                        var y = head.Targets(Tensors.FromBuffer(batch.Labels, new long[] { batch.Count }));
                        optimizer.zero_grad();
                        var objective = head.Loss(module.forward(x), y, options);
                        loss = objective.item<float>();
                        if (!double.IsFinite(loss))
                            throw new TrainingDivergedException(epoch, step, rate, loss);
                        objective = AddPenalties(objective, penalized, options);
                        objective.backward();
                        if (options.GradientClipNorm is { } clip)
                            nn.utils.clip_grad_norm_(module.parameters(), clip);
                        OptimizerSteps.Step(optimizer);
                    }
                    lossSum += loss * batch.Count;
                    seen += batch.Count;
                    options.Progress?.Report(new TrainingProgress(ProgressKind.Step, epoch, step, loss, rate, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
                }
                skipped = reader.SkippedRows;
                var trainLoss = lossSum / Math.Max(seen, 1);
                double? validationLoss = null, validationAccuracy = null;
                if (validationData is not null)
                    (validationLoss, validationAccuracy) = Validate(options, module, head, inputShape, featureColumn, featureSize, validationData);
                clock.Stop();
                epochs.Add(new EpochRecord(epoch, trainLoss, validationLoss, validationAccuracy, clock.Elapsed.TotalSeconds));
                options.Progress?.Report(new TrainingProgress(ProgressKind.Epoch, epoch, step, trainLoss, schedule.At(Math.Max(step - 1, 0)),
                    seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), validationLoss, validationAccuracy));

                if (validationData is null)
                {
                    bestEpoch = epoch;
                    continue;
                }
                // Higher is better for the watched score: negate losses.
                var score = options.ValidationMetric == ValidationMetric.Accuracy && validationAccuracy is { } accuracy ? accuracy : -validationLoss!.Value;
                if (bestScore is null || score > bestScore.Value + options.EarlyStoppingMinDelta)
                {
                    bestScore = score;
                    bestEpoch = epoch;
                    sinceImprovement = 0;
                    if (options.RestoreBestWeights)
                        bestWeights = Snapshot(module, bestWeights);
                }
                else if (options.EarlyStoppingPatience is { } patience && ++sinceImprovement >= patience)
                {
                    stoppedEarly = epoch < options.Epochs;
                    break;
                }
            }
            if (bestWeights is not null && bestEpoch != epochs.Count)
                module.load_state_dict(bestWeights);
            if (validationData is null || !options.RestoreBestWeights)
                bestEpoch = epochs.Count;
        }
        finally
        {
            if (bestWeights is not null)
            {
                foreach (var tensor in bestWeights.Values)
                    tensor.Dispose();
            }
        }
        module.eval();
        return new TrainingSummary(epochs, bestEpoch, stoppedEarly, rows, skipped);
    }

    private static Tensor BatchTensor(Batch batch, long[] inputShape)
    {
        var shape = new long[inputShape.Length + 1];
        shape[0] = batch.Count;
        inputShape.CopyTo(shape, 1);
        return Tensors.FromBuffer(batch.Features, shape);
    }

    private static Tensor AddPenalties(Tensor loss, IReadOnlyList<TorchSharp.Modules.Parameter> weights, TorchTrainerOptions options)
    {
        if (options.L1 > 0)
            loss = loss + weights.Select(w => w.abs().sum()).Aggregate((a, b) => a + b).Times(options.L1);
        if (options.L2 > 0)
            loss = loss + weights.Select(w => w.Squared().sum()).Aggregate((a, b) => a + b).Times(options.L2);
        return loss;
    }

    private (double Loss, double? Accuracy) Validate(TOptions options, nn.Module<Tensor, Tensor> module, PredictionHead head, long[] inputShape,
        DataViewSchema.Column featureColumn, int featureSize, IDataView validationData)
    {
        module.eval();
        var reader = new BatchReader(validationData, validationData.Schema[featureColumn.Name], featureSize, validationData.Schema[options.LabelColumnName], head);
        double lossSum = 0;
        long correct = 0, count = 0;
        var classifies = false;
        using (torch.no_grad())
        {
            foreach (var batch in reader.Read(options.InferenceBatchSize, null, 1, options.CancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                var output = module.forward(BatchTensor(batch, inputShape));
                var targets = head.Targets(Tensors.FromBuffer(batch.Labels, new long[] { batch.Count }));
                lossSum += head.Loss(output, targets, options).item<float>() * batch.Count;
                if (head.CountCorrect(output, targets) is { } right)
                {
                    correct += right;
                    classifies = true;
                }
                count += batch.Count;
            }
        }
        module.train();
        if (count == 0)
            throw new SchemaException("The validation data has no rows with a label; there is nothing to validate on.");
        return (lossSum / count, classifies ? (double)correct / count : null);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module<Tensor, Tensor> module, Dictionary<string, Tensor>? previous)
    {
        if (previous is not null)
        {
            foreach (var tensor in previous.Values)
                tensor.Dispose();
        }
        using var noGrad = torch.no_grad();
        return module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    private static (long Rows, int Distinct) LabelCensus(IDataView data, DataViewSchema.Column label, PredictionHead head)
    {
        long rows = 0;
        double sum = 0, sumOfSquares = 0;
        var distinct = new HashSet<float>();
        using var cursor = data.GetRowCursor(new[] { label });
        var read = head.LabelReader(cursor, label);
        while (cursor.MoveNext())
        {
            var value = read();
            if (float.IsNaN(value))
                continue;
            rows++;
            sum += value;
            sumOfSquares += (double)value * value;
            if (distinct.Count < 3)
                distinct.Add(value);
        }
        if (rows > 0)
        {
            var mean = sum / rows;
            head.ObserveLabels(mean, Math.Sqrt(Math.Max(sumOfSquares / rows - mean * mean, 0)));
        }
        return (rows, distinct.Count);
    }

    private DataViewSchema.Column FeatureColumn(DataViewSchema schema)
    {
        var name = _options.FeatureColumnName;
        var column = schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"Feature column '{name}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (TorchPredictionTransformer.FeatureSizeOf(column.Type) < 1)
            throw new SchemaException($"Feature column '{name}' has type {column.Type}; torch trainers need a known-size vector of Single (or a Single).");
        return column;
    }

    private DataViewSchema.Column LabelColumn(DataViewSchema schema)
    {
        var name = _options.LabelColumnName;
        return schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"Label column '{name}' not found. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
    }
}
