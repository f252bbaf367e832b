using Microsoft.ML;
using MlToolkit.Data.IO;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>Trains a compressed copy of a network further on its training data, with its head and input shape.</summary>
internal static class FineTuning
{
    /// <summary>The checks every pruning makes: a network, a share in [0, 1), data, and valid options when it fine-tunes at all.</summary>
    public static void CheckArguments(TorchPredictionTransformer transformer, double share, IDataView trainData, TorchTrainerOptions fineTuning,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(share))] string shareName = "")
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(fineTuning);
        ArgumentOutOfRangeException.ThrowIfLessThan(share, 0.0, shareName);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, 1.0, shareName);
        if (fineTuning.Epochs > 0)
            fineTuning.Validate();
    }

    public static void Run(nn.Module<Tensor, Tensor> module, TorchNetwork network, IDataView data, TorchTrainerOptions options, Action? afterStep = null)
    {
        var teacher = TeacherScores.Column(options.TeacherScoreColumnName, data.Schema, network.Head);
        var features = data.Schema[options.FeatureColumnName];
        var label = data.Schema[options.LabelColumnName];
        if (options.Threads is { } threads)
            set_num_threads(threads);
        manual_seed(options.Seed);
        var loop = new TrainingLoop(options, module, network.Head, network.InputShape, features, network.FeatureSize, (batch, _) => batch, afterStep, teacher);
        loop.Run(data, label, validationData: null, RowCounter.Count(data));
    }
}
