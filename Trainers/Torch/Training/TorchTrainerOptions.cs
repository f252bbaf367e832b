namespace MlToolkit.Trainers.Torch.Training;

/// <summary>Which optimizer updates the weights.</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,

    /// <summary>SGD with momentum (<see cref="TorchTrainerOptions.Momentum"/>, optionally Nesterov).</summary>
    Momentum,

    /// <summary>Adam; <see cref="TorchTrainerOptions.WeightDecay"/> is added to the gradient (classic L2 coupling).</summary>
    Adam,

    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,
}

/// <summary>How the learning rate changes over training (after any warm-up).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary>Multiplied by <see cref="TorchTrainerOptions.StepGamma"/> every <see cref="TorchTrainerOptions.StepEpochs"/> epochs.</summary>
    Step,

    /// <summary>Cosine decay from the base rate to <see cref="TorchTrainerOptions.MinLearningRate"/> over all steps.</summary>
    Cosine,

    /// <summary>One-cycle: cosine rise from base/25 to the base rate over the first 30% of steps, then cosine decay to base/10⁴.</summary>
    OneCycle,
}

/// <summary>The quantity early stopping and best-epoch selection watch on the validation data.</summary>
public enum ValidationMetric
{
    /// <summary>The training loss function on validation data (lower is better).</summary>
    Loss,

    /// <summary>Classification accuracy (higher is better); regression falls back to loss.</summary>
    Accuracy,
}

/// <summary>
/// Options every TorchSharp trainer shares: columns, optimization, regularization, schedule, validation, early
/// stopping, determinism and threads. Trainers derive from it to add their architecture. <c>Fit</c> never
/// modifies an options object, so one can be reused for many fits.
/// </summary>
public abstract class TorchTrainerOptions
{
    /// <summary>The feature column: a known-size vector of <c>Single</c>. Default <c>Features</c>.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column: a key (multiclass), a Boolean (binary) or a <c>Single</c> (regression). Default <c>Label</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Passes over the training data (at most, with early stopping). Default 20.</summary>
    public int Epochs { get; set; } = 20;

    /// <summary>Examples per gradient step. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The base learning rate. Default 0.001.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>The optimizer. Default <see cref="OptimizerKind.Adam"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Momentum for <see cref="OptimizerKind.Momentum"/>. Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Use Nesterov momentum with <see cref="OptimizerKind.Momentum"/>. Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>Weight decay passed to the optimizer (decoupled for AdamW). Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>L1 penalty coefficient on weights (not biases), added to the loss. Default 0.</summary>
    public double L1 { get; set; }

    /// <summary>L2 penalty coefficient on weights (not biases), added to the loss. Default 0.</summary>
    public double L2 { get; set; }

    /// <summary>Clip the global gradient norm to this value; null disables clipping. Default null.</summary>
    public double? GradientClipNorm { get; set; }

    /// <summary>The learning-rate schedule. Default <see cref="LearningRateScheduleKind.Constant"/>.</summary>
    public LearningRateScheduleKind LearningRateSchedule { get; set; } = LearningRateScheduleKind.Constant;

    /// <summary>Linear warm-up from 0 to the scheduled rate over this many epochs (fractions allowed). Default 0.</summary>
    public double WarmupEpochs { get; set; }

    /// <summary>For <see cref="LearningRateScheduleKind.Step"/>: epochs between decays. Default 10.</summary>
    public int StepEpochs { get; set; } = 10;

    /// <summary>For <see cref="LearningRateScheduleKind.Step"/>: the decay factor. Default 0.1.</summary>
    public double StepGamma { get; set; } = 0.1;

    /// <summary>For <see cref="LearningRateScheduleKind.Cosine"/>: the final rate. Default 0.</summary>
    public double MinLearningRate { get; set; }

    /// <summary>Label smoothing for cross-entropy (multiclass). Default 0.</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>Regression loss: Huber with this delta instead of MSE when set. Default null (MSE).</summary>
    public double? HuberDelta { get; set; }

    /// <summary>
    /// Knowledge distillation (multiclass): a column of the training data holding a teacher model's class
    /// probabilities (e.g. the <c>Score</c> of any ML.NET model, copied); the student then also learns to match them
    /// softened by <see cref="DistillationTemperature"/>. Null (default) trains on the labels alone.
    /// </summary>
    public string? TeacherScoreColumnName { get; set; }

    /// <summary>Temperature that softens teacher and student distributions for distillation. Default 2.</summary>
    public double DistillationTemperature { get; set; } = 2;

    /// <summary>Weight of the distillation loss (T² · KL(teacher ‖ student)); the label loss gets 1 − this. Default 0.5.</summary>
    public double DistillationWeight { get; set; } = 0.5;

    /// <summary>Hold out this share of the training data for validation when no validation data is passed to <c>Fit</c>; 0 disables. Default 0.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>What validation watches. Default <see cref="ValidationMetric.Loss"/>.</summary>
    public ValidationMetric ValidationMetric { get; set; } = ValidationMetric.Loss;

    /// <summary>Stop after this many epochs without improvement on validation; null trains all epochs. Default null.</summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>Smallest change that counts as an improvement. Default 0.</summary>
    public double EarlyStoppingMinDelta { get; set; }

    /// <summary>With validation, keep the weights of the best epoch rather than the last. Default true.</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Seed for weight initialization, shuffling, dropout and augmentation. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Shuffle the training rows every epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Rows held in memory to shuffle data that cannot be shuffled in place (files). Default 10,000; fewer when that many
    /// rows would exceed <see cref="ShuffleBufferMegabytes"/>.
    /// </summary>
    public int ShuffleBufferRows { get; set; } = 10_000;

    /// <summary>Most memory (MiB) the shuffle buffer may take; wide feature vectors get fewer rows. Default 256.</summary>
    public int ShuffleBufferMegabytes { get; set; } = 256;

    /// <summary>Rows scored per forward pass at inference. Default 256.</summary>
    public int InferenceBatchSize { get; set; } = 256;

    /// <summary>Torch intra-op threads for training and inference; null keeps torch's default. Default null.</summary>
    public int? Threads { get; set; }

    /// <summary>Start from the weights in this file (TorchSharp <c>Module.save</c> format, same architecture) instead of a random initialization. Default null.</summary>
    public string? InitialWeightsPath { get; set; }

    /// <summary>Receives progress after every step and epoch; null reports nothing.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Cancels training; it stops within one step and throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Training time after which no further epoch starts (the epoch under way finishes; with validation the best epoch's
    /// weights are kept, as with early stopping); null trains every epoch. AutoML sets it from the time its budget has left.
    /// </summary>
    public TimeSpan? TimeLimit { get; set; }

    /// <summary>Checks every setting; called by the trainer's constructor and <c>Fit</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public virtual void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName, nameof(LabelColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        Positive(LearningRate, nameof(LearningRate));
        InRange(Momentum, 0, 1, nameof(Momentum));
        NonNegative(WeightDecay, nameof(WeightDecay));
        NonNegative(L1, nameof(L1));
        NonNegative(L2, nameof(L2));
        if (GradientClipNorm is { } clip)
            Positive(clip, nameof(GradientClipNorm));
        NonNegative(WarmupEpochs, nameof(WarmupEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(StepEpochs, 1, nameof(StepEpochs));
        InRange(StepGamma, double.Epsilon, 1, nameof(StepGamma));
        NonNegative(MinLearningRate, nameof(MinLearningRate));
        InRange(LabelSmoothing, 0, 0.999, nameof(LabelSmoothing));
        if (HuberDelta is { } delta)
            Positive(delta, nameof(HuberDelta));
        InRange(ValidationFraction, 0, 0.9, nameof(ValidationFraction));
        Positive(DistillationTemperature, nameof(DistillationTemperature));
        InRange(DistillationWeight, 0, 1, nameof(DistillationWeight));
        if (EarlyStoppingPatience is { } patience)
            ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1, nameof(EarlyStoppingPatience));
        NonNegative(EarlyStoppingMinDelta, nameof(EarlyStoppingMinDelta));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShuffleBufferRows, 1, nameof(ShuffleBufferRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShuffleBufferMegabytes, 1, nameof(ShuffleBufferMegabytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(InferenceBatchSize, 1, nameof(InferenceBatchSize));
        if (Threads is { } threads)
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(Threads));
        if (TimeLimit is { } limit && limit < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), limit, $"{nameof(TimeLimit)} must not be negative.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0.</summary>
    protected static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    protected static void NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of at least 0.");
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    protected static void InRange(double value, double min, double max, string name)
    {
        if (!double.IsFinite(value) || value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
    }

    /// <summary>
    /// A copy the trainer keeps, so that changing the caller's options (or an array in them, such as
    /// <c>HiddenLayers</c>) after the trainer was created changes nothing: arrays are copied too, in derived options as well.
    /// </summary>
    public TorchTrainerOptions Clone()
    {
        var copy = (TorchTrainerOptions)MemberwiseClone();
        foreach (var property in GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.PropertyType.IsArray && property.CanRead && property.CanWrite && property.GetValue(this) is Array array)
                property.SetValue(copy, array.Clone());
        }
        return copy;
    }
}
