using Microsoft.ML;
using MlToolkit.Data.IO;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>Trains a compressed copy of a network further on its training data, with its head and input shape.</summary>
internal static class FineTuning
{
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
