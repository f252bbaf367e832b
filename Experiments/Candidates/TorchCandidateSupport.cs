using MlToolkit.Experiments.Tuning.SearchSpaces;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Experiments.Candidates;

/// <summary>The optimization hyperparameters every torch candidate shares, and how they reach the trainer's options.</summary>
internal static class TorchCandidateSupport
{
    /// <summary>Epochs without a better validation loss after which an AutoML torch trial stops.</summary>
    public const int EarlyStoppingPatience = 5;

    public static SearchSpace Optimization(this SearchSpace space, int minEpochs, int maxEpochs, int defaultEpochs, double defaultLearningRate, string defaultOptimizer = "adam") => space
        .Float("learning_rate", 1e-4, 3e-2, log: true, defaultValue: defaultLearningRate)
        .Choice("batch_size", new[] { "16", "32", "64", "128" }, "32")
        .Int("epochs", minEpochs, maxEpochs, log: true, defaultValue: defaultEpochs)
        .Float("weight_decay", 1e-6, 1e-2, log: true, defaultValue: 1e-5)
        .Choice("optimizer", new[] { "adam", "adamw", "sgd" }, defaultOptimizer)
        .When("optimizer", "sgd", sgd => sgd.Float("momentum", 0.5, 0.99, defaultValue: 0.9));

    public static T Apply<T>(T options, ParameterSet parameters, CandidateContext context) where T : TorchTrainerOptions
    {
        options.LearningRate = parameters.GetDouble("learning_rate");
        options.BatchSize = parameters.GetInt("batch_size");
        options.Epochs = parameters.GetInt("epochs");
        options.WeightDecay = parameters.GetDouble("weight_decay");
        options.Optimizer = parameters.GetString("optimizer") switch
        {
            "adam" => OptimizerKind.Adam,
            "adamw" => OptimizerKind.AdamW,
            "sgd" => OptimizerKind.Momentum,
            var other => throw new ArgumentException($"Unknown optimizer '{other}'.", nameof(parameters)),
        };
        if (parameters.Contains("momentum"))
            options.Momentum = parameters.GetDouble("momentum");
        options.Seed = context.Seed;
        options.Threads = context.Threads;
        options.CancellationToken = context.CancellationToken;
        options.ValidationFraction = ValidationFraction(context);
        // With a validation slice, stop once it has not improved for 5 epochs and keep the best epoch: the epoch count
        // becomes a ceiling, so a trial with many epochs costs only what it needs.
        if (options.ValidationFraction > 0)
            options.EarlyStoppingPatience ??= EarlyStoppingPatience;
        options.TimeLimit = context.TimeLimit;
        options.Progress = context.EpochLoss is { } report ? new EpochReporter(report, context.Progress) : context.Progress;
        return options;
    }

    /// <summary>Fewest rows a validation slice is held out with; fewer cannot rank epochs (an 8-row table's MLP trials had none left).</summary>
    public const int MinimumValidationRows = 10;

    /// <summary>The context's validation share, or none when it would hold fewer than <see cref="MinimumValidationRows"/> of the training rows.</summary>
    private static double ValidationFraction(CandidateContext context) =>
        context.Data is { Rows: > 0 } data && data.Rows * context.ValidationFraction < MinimumValidationRows ? 0 : context.ValidationFraction;

    private sealed class EpochReporter(Action<int, double> report, IProgress<TrainingProgress>? inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            inner?.Report(value);
            if (value.Kind == ProgressKind.Epoch)
                report(value.Epoch, value.ValidationLoss ?? value.Loss);
        }
    }
}
