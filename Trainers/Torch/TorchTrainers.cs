using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Mlp;

namespace MlToolkit.Trainers.Torch;

/// <summary>The torch trainers by name, with defaults that suit small tabular and image data.</summary>
public static class TorchTrainers
{
    /// <summary>Multilayer perceptron (TorchSharp): multiclass, binary, regression.</summary>
    public static NamedTrainer Mlp { get; } = new("mlp", "multilayer perceptron (TorchSharp)", true, (ml, task, s) =>
    {
        var options = new MlpTrainer.Options { Seed = s.Seed, Threads = s.Threads, Progress = s.Progress, CancellationToken = s.CancellationToken, Epochs = s.Epochs ?? 30, HiddenLayers = new[] { 256, 128 }, Dropout = 0.2 };
        return task switch
        {
            PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.Mlp(options),
            PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.Mlp(options),
            PredictionTask.Regression => ml.Regression.Trainers.Mlp(options),
            _ => null,
        };
    });

    /// <summary>Convolutional image classifier (TorchSharp): multiclass, binary.</summary>
    public static NamedTrainer Cnn { get; } = new("cnn", "convolutional image classifier (TorchSharp; features read as a C×H×W image)", true, (ml, task, s) =>
    {
        var options = new CnnTrainer.Options { Seed = s.Seed, Threads = s.Threads, Progress = s.Progress, CancellationToken = s.CancellationToken, Epochs = s.Epochs ?? 20, BatchSize = 32 };
        return task switch
        {
            PredictionTask.MulticlassClassification => ml.MulticlassClassification.Trainers.Cnn(options),
            PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.Cnn(options),
            _ => null,
        };
    });

    /// <summary>Every torch trainer.</summary>
    public static IReadOnlyList<NamedTrainer> All { get; } = new[] { Mlp, Cnn };
}
