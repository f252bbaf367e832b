using Microsoft.ML;
using MlToolkit.Data.IO;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using MlToolkit.Trainers.Torch.Runtime;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>Trains a compressed copy of a network further on its training data, with its head and input shape, and wraps the result.</summary>
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

    /// <summary>
    /// <paramref name="module"/> (built from <paramref name="architecture"/>) as a transformer like <paramref name="source"/>;
    /// re-quantized when the source was int8, since training moved its weights off the int8 grid and the model must
    /// score as its file will.
    /// </summary>
    public static TorchPredictionTransformer Result(TorchPredictionTransformer source, nn.Module<Tensor, Tensor> module, NetworkArchitecture architecture)
    {
        module.eval();
        var network = source.Network;
        var result = new TorchPredictionTransformer(new TorchNetwork(module, architecture, network.Head, network.InputShape),
            source.FeatureColumnName, source.InferenceBatchSize, source.Threads);
        return network.WeightFormat == WeightFormat.Int8PerChannel ? Int8Quantization.Quantize(result) : result;
    }

    public static void Run(nn.Module<Tensor, Tensor> module, TorchNetwork network, IDataView data, TorchTrainerOptions options, Action? afterStep = null)
    {
        var teacher = TeacherScores.Column(options.TeacherScoreColumnName, data.Schema, network.Head);
        var features = data.Schema[options.FeatureColumnName];
        var label = data.Schema[options.LabelColumnName];
        TorchThreads.Apply(options.Threads);
        manual_seed(options.Seed);
        var loop = new TrainingLoop(options, module, network.Head, network.InputShape, features, network.FeatureSize, (batch, _) => batch, afterStep, teacher);
        loop.Run(data, label, validationData: null, RowCounter.Count(data));
    }
}
