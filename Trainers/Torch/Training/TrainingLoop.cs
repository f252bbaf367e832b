using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>
/// One run of mini-batch training of a built network: epochs of optimizer steps over shuffled batches, validation
/// after each, early stopping and the best epoch's weights. <see cref="TorchTrainerBase{TOptions}"/> sets it up.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly TorchTrainerOptions _options;
    private readonly nn.Module<Tensor, Tensor> _module;
    private readonly PredictionHead _head;
    private readonly long[] _inputShape;
    private readonly DataViewSchema.Column _featureColumn;
    private readonly int _featureSize;
    private readonly Func<Tensor, Random, Tensor> _augment;
    private readonly Random _augmentRandom;
    private readonly List<TorchSharp.Modules.Parameter> _penalized;
    private readonly Action? _afterStep;
    private readonly DataViewSchema.Column? _teacher;
    private readonly int _teacherSize;
    private long _step;

    public TrainingLoop(TorchTrainerOptions options, nn.Module<Tensor, Tensor> module, PredictionHead head, long[] inputShape,
        DataViewSchema.Column featureColumn, int featureSize, Func<Tensor, Random, Tensor> augment, Action? afterStep = null, DataViewSchema.Column? teacher = null)
    {
        _afterStep = afterStep;
        _teacher = teacher;
        _teacherSize = teacher is null ? 0 : head.OutputSize;
        _options = options;
        _module = module;
        _head = head;
        _inputShape = inputShape;
        _featureColumn = featureColumn;
        _featureSize = featureSize;
        _augment = augment;
        _augmentRandom = new Random(unchecked(options.Seed * 31 + 7));
        _penalized = module.parameters().Where(p => p.dim() > 1).ToList();
    }

    /// <summary>Trains for up to the options' epochs; leaves the module in evaluation mode with the kept epoch's weights.</summary>
    public TrainingSummary Run(IDataView trainData, DataViewSchema.Column labelColumn, IDataView? validationData, long rows)
    {
        var reader = new BatchReader(trainData, _featureColumn, _featureSize, labelColumn, _head, _teacher, _teacherSize);
        var stepsPerEpoch = (rows + _options.BatchSize - 1) / _options.BatchSize;
        var schedule = new LearningRateSchedule(_options.LearningRateSchedule, _options.LearningRate, stepsPerEpoch, stepsPerEpoch * _options.Epochs,
            _options.WarmupEpochs, _options.StepEpochs, _options.StepGamma, _options.MinLearningRate);
        using var optimizer = OptimizerFactory.Create(_options, _module.parameters());
        using var best = new BestEpoch(_options);
        var shuffleRows = BatchReader.ShuffleBufferRows(_options.ShuffleBufferRows, _featureSize + _teacherSize, _options.BatchSize, _options.ShuffleBufferMegabytes * 1024L * 1024, _featureColumn.Name);
        var epochs = new List<EpochRecord>();
        var stoppedEarly = false;
        var training = Stopwatch.StartNew();
        for (var epoch = 1; epoch <= _options.Epochs && !stoppedEarly; epoch++)
        {
            var record = RunEpoch(epoch, reader, shuffleRows, optimizer, schedule, validationData);
            epochs.Add(record);
            stoppedEarly = validationData is not null && best.Observe(epoch, record.ValidationLoss!.Value, record.ValidationAccuracy, _module) && epoch < _options.Epochs;
            stoppedEarly |= _options.TimeLimit is { } limit && training.Elapsed >= limit && epoch < _options.Epochs;
        }
        best.Restore(_module, epochs.Count);
        var kept = validationData is null || !_options.RestoreBestWeights ? epochs.Count : best.Epoch;
        _module.eval();
        return new TrainingSummary(epochs, kept, stoppedEarly, rows, reader.SkippedRows);
    }

    private EpochRecord RunEpoch(int epoch, BatchReader reader, int shuffleRows, optim.Optimizer optimizer, LearningRateSchedule schedule, IDataView? validationData)
    {
        _module.train();
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long seen = 0;
        var shuffle = _options.Shuffle ? new Random(unchecked(_options.Seed * 7919 + epoch)) : null;
        foreach (var batch in reader.Read(_options.BatchSize, shuffle, shuffleRows, _options.CancellationToken))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            var rate = schedule.At(_step);
            OptimizerFactory.SetLearningRate(optimizer, rate);
            _step++;
            var loss = Step(batch, optimizer, epoch, rate);
            lossSum += loss * batch.Count;
            seen += batch.Count;
            _options.Progress?.Report(new TrainingProgress(ProgressKind.Step, epoch, _step, loss, rate, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
        }
        var trainLoss = lossSum / Math.Max(seen, 1);
        var (validationLoss, validationAccuracy) = validationData is null ? (null, null) : Validate(validationData);
        clock.Stop();
        _options.Progress?.Report(new TrainingProgress(ProgressKind.Epoch, epoch, _step, trainLoss, schedule.At(Math.Max(_step - 1, 0)),
            seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), validationLoss, validationAccuracy));
        return new EpochRecord(epoch, trainLoss, validationLoss, validationAccuracy, clock.Elapsed.TotalSeconds);
    }

    private double Step(Batch batch, optim.Optimizer optimizer, int epoch, double rate)
    {
        using var scope = torch.NewDisposeScope();
        var (inputs, teacher) = Split(batch);
        var x = _augment(inputs, _augmentRandom);
        var y = _head.Targets(Tensors.FromBuffer(batch.Labels, new long[] { batch.Count }));
        optimizer.zero_grad();
        var output = _module.forward(x);
        var objective = teacher is null ? _head.Loss(output, y, _options) : Distilled(output, y, teacher);
        double loss = objective.item<float>();
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(epoch, _step, rate, loss);
        objective = AddPenalties(objective);
        objective.backward();
        if (_options.GradientClipNorm is { } clip)
            nn.utils.clip_grad_norm_(_module.parameters(), clip);
        OptimizerSteps.Step(optimizer);
        _afterStep?.Invoke();
        return loss;
    }

    /// <summary>The batch's network inputs, and the teacher's probabilities when distilling (they follow the features in each row).</summary>
    private (Tensor Inputs, Tensor? Teacher) Split(Batch batch)
    {
        if (_teacher is null)
            return (BatchTensor(batch), null);
        var rows = Tensors.FromBuffer(batch.Features, new long[] { batch.Count, _featureSize + _teacherSize });
        return (rows.narrow(1, 0, _featureSize).reshape(BatchShape(batch.Count)), rows.narrow(1, _featureSize, _teacherSize));
    }

    /// <summary>(1 − α) · the label loss + α · T² · KL(teacher ‖ student), both distributions softened by T (Hinton et al., 2015).</summary>
    private Tensor Distilled(Tensor output, Tensor targets, Tensor teacher)
    {
        var temperature = _options.DistillationTemperature;
        var weight = _options.DistillationWeight;
        var soft = nn.functional.softmax(teacher.AtLeast(1e-8).log().Times(1 / temperature), 1);
        var student = nn.functional.log_softmax(output.Times(1 / temperature), 1);
        var divergence = (soft * (soft.AtLeast(1e-12).log() - student)).sum(1).mean();
        return _head.Loss(output, targets, _options).Times(1 - weight).Plus(divergence.Times(weight * temperature * temperature));
    }

    private Tensor AddPenalties(Tensor loss)
    {
        if (_options.L1 > 0)
            loss = loss.Plus(_penalized.Select(w => w.abs().sum()).Aggregate((a, b) => a.Plus(b)).Times(_options.L1));
        if (_options.L2 > 0)
            loss = loss.Plus(_penalized.Select(w => w.Squared().sum()).Aggregate((a, b) => a.Plus(b)).Times(_options.L2));
        return loss;
    }

    private (double? Loss, double? Accuracy) Validate(IDataView validationData)
    {
        _module.eval();
        var reader = new BatchReader(validationData, validationData.Schema[_featureColumn.Name], _featureSize, validationData.Schema[_options.LabelColumnName], _head);
        double lossSum = 0;
        long correct = 0, count = 0;
        var classifies = false;
        using (torch.no_grad())
        {
            foreach (var batch in reader.Read(_options.InferenceBatchSize, null, 1, _options.CancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                var output = _module.forward(BatchTensor(batch));
                var targets = _head.Targets(Tensors.FromBuffer(batch.Labels, new long[] { batch.Count }));
                lossSum += _head.Loss(output, targets, _options).item<float>() * batch.Count;
                if (_head.CountCorrect(output, targets) is { } right)
                {
                    correct += right;
                    classifies = true;
                }
                count += batch.Count;
            }
        }
        _module.train();
        if (count == 0)
            throw new SchemaException("The validation data has no rows with a label; there is nothing to validate on.");
        return (lossSum / count, classifies ? (double)correct / count : null);
    }

    private Tensor BatchTensor(Batch batch) => Tensors.FromBuffer(batch.Features, BatchShape(batch.Count));

    /// <summary>[count, ..one example's shape].</summary>
    private long[] BatchShape(int count)
    {
        var shape = new long[_inputShape.Length + 1];
        shape[0] = count;
        _inputShape.CopyTo(shape, 1);
        return shape;
    }
}
