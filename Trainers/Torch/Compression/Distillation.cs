using Microsoft.ML;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Compression;

/// <summary>
/// Knowledge distillation of a trained student: a fresh network of the student's architecture (same head, same input)
/// trained on the labels and a teacher's class probabilities (<see cref="TorchTrainerOptions.TeacherScoreColumnName"/>,
/// <see cref="TorchTrainerOptions.DistillationWeight"/>, <see cref="TorchTrainerOptions.DistillationTemperature"/>).
/// Any model can be the teacher: only its probabilities, one column per row, are read.
/// </summary>
public static class Distillation
{
    /// <summary>A network shaped as <paramref name="student"/>'s, trained from scratch on <paramref name="trainData"/> with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options name no teacher column.</exception>
    public static TorchPredictionTransformer Retrain(TorchPredictionTransformer student, IDataView trainData, TorchTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TeacherScoreColumnName is null)
            throw new ArgumentException("Distillation needs the teacher's probabilities: set TeacherScoreColumnName.", nameof(options));
        options.Validate();
        var network = student.Network;
        manual_seed(options.Seed);
        var module = network.Architecture.Build(network.InputShape, network.Head.OutputSize);
        FineTuning.Run(module, network, trainData, options);
        return FineTuning.Result(student, module, network.Architecture);
    }
}
