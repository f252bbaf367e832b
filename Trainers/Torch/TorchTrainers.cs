using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Trainers.Torch.Sequence;

namespace MlToolkit.Trainers.Torch;

/// <summary>The torch trainers by name, with defaults that suit small tabular and image data.</summary>
public static class TorchTrainers
{
    /// <summary>Multilayer perceptron (TorchSharp): multiclass, binary, regression.</summary>
    public static NamedTrainer Mlp { get; } = new("mlp", "multilayer perceptron (TorchSharp)", true, (ml, task, s) =>
    {
        var options = new MlpTrainer.Options { Seed = s.Seed, Threads = s.Threads, Progress = s.Progress, CancellationToken = s.CancellationToken, Epochs = s.Epochs ?? 30, HiddenLayers = new[] { 256, 128 }, Dropout = 0.2 };
        return new MlpTrainer(task, options);
    });

    /// <summary>Convolutional image classifier (TorchSharp): multiclass, binary.</summary>
    public static NamedTrainer Cnn { get; } = new("cnn", "convolutional image classifier (TorchSharp; features read as a C×H×W image)", true, (ml, task, s) =>
    {
        var options = new CnnTrainer.Options { Seed = s.Seed, Threads = s.Threads, Progress = s.Progress, CancellationToken = s.CancellationToken, Epochs = s.Epochs ?? 20, BatchSize = 32 };
        return task is PredictionTask.MulticlassClassification or PredictionTask.BinaryClassification ? new CnnTrainer(task, options) : null;
    });

    /// <summary>Bidirectional LSTM over the token ids of a text column (TorchSharp).</summary>
    public static NamedTrainer Lstm { get; } = Recurrent("lstm", RnnCell.Lstm);

    /// <summary>Bidirectional GRU over the token ids of a text column (TorchSharp).</summary>
    public static NamedTrainer Gru { get; } = Recurrent("gru", RnnCell.Gru);

    /// <summary>Transformer encoder over the token ids of a text column (TorchSharp).</summary>
    public static NamedTrainer Transformer { get; } = new("transformer", "transformer encoder over token ids (TorchSharp; reads one text column)", false, (ml, task, s) =>
    {
        var options = new TransformerTrainer.Options { Seed = s.Seed, Threads = s.Threads, Progress = s.Progress, CancellationToken = s.CancellationToken };
        if (s.Epochs is { } epochs)
            options.Epochs = epochs;
        return new TransformerTrainer(task, options);
    }, readsTokenSequences: true);

    /// <summary>Every torch trainer.</summary>
    public static IReadOnlyList<NamedTrainer> All { get; } = new[] { Mlp, Cnn, Lstm, Gru, Transformer };

    private static NamedTrainer Recurrent(string name, RnnCell cell) => new(name, $"bidirectional {cell.ToString().ToUpperInvariant()} over token ids (TorchSharp; reads one text column)", false, (ml, task, s) =>
    {
        var options = new RnnTrainer.Options { Cell = cell, Seed = s.Seed, Threads = s.Threads, Progress = s.Progress, CancellationToken = s.CancellationToken };
        if (s.Epochs is { } epochs)
            options.Epochs = epochs;
        return new RnnTrainer(task, options);
    }, readsTokenSequences: true);
}
