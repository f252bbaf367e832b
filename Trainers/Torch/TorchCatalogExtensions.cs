using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Trainers.Torch.Sequence;

namespace MlToolkit.Trainers.Torch;

/// <summary>The torch trainers on ML.NET's task catalogs: <c>mlContext.MulticlassClassification.Trainers.Mlp()</c> and friends.</summary>
public static class TorchCatalogExtensions
{
    /// <summary>A multiclass MLP with the common settings; see <see cref="MlpTrainer.Options"/> for their defaults.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column.</param>
    /// <param name="hiddenLayers">Hidden layer widths (default [128, 64]).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Examples per step.</param>
    /// <param name="learningRate">Adam learning rate.</param>
    public static MlpTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int epochs = 20, int batchSize = 32, double learningRate = 1e-3) =>
        Mlp(catalog, MlpOptions(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A multiclass MLP with every setting given.</summary>
    public static MlpTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpTrainer(PredictionTask.MulticlassClassification, options);
    }

    /// <summary>A binary MLP (Boolean label) with the common settings; see <see cref="MlpTrainer.Options"/> for their defaults.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column.</param>
    /// <param name="hiddenLayers">Hidden layer widths (default [128, 64]).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Examples per step.</param>
    /// <param name="learningRate">Adam learning rate.</param>
    public static MlpTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int epochs = 20, int batchSize = 32, double learningRate = 1e-3) =>
        Mlp(catalog, MlpOptions(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A binary MLP with every setting given.</summary>
    public static MlpTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MlpTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpTrainer(PredictionTask.BinaryClassification, options);
    }

    /// <summary>A regression MLP (Single label) with the common settings; see <see cref="MlpTrainer.Options"/> for their defaults.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Single label column.</param>
    /// <param name="featureColumnName">Known-size Single vector column.</param>
    /// <param name="hiddenLayers">Hidden layer widths (default [128, 64]).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Examples per step.</param>
    /// <param name="learningRate">Adam learning rate.</param>
    public static MlpTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int epochs = 20, int batchSize = 32, double learningRate = 1e-3) =>
        Mlp(catalog, MlpOptions(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A regression MLP with every setting given.</summary>
    public static MlpTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog, MlpTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpTrainer(PredictionTask.Regression, options);
    }

    /// <summary>A multiclass CNN image classifier with the common settings; see <see cref="CnnTrainer.Options"/> for their defaults.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="featureColumnName">Image tensor column (C×H×W Single values).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Examples per step.</param>
    /// <param name="learningRate">Adam learning rate.</param>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = 10, int batchSize = 64, double learningRate = 1e-3) =>
        Cnn(catalog, new CnnTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate });

    /// <summary>A multiclass CNN with every setting given.</summary>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, CnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(PredictionTask.MulticlassClassification, options);
    }

    /// <summary>A binary CNN image classifier with the common settings; see <see cref="CnnTrainer.Options"/> for their defaults.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">Image tensor column (C×H×W Single values).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Examples per step.</param>
    /// <param name="learningRate">Adam learning rate.</param>
    public static CnnTrainer Cnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = 10, int batchSize = 64, double learningRate = 1e-3) =>
        Cnn(catalog, new CnnTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate });

    /// <summary>A binary CNN with every setting given.</summary>
    public static CnnTrainer Cnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, CnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(PredictionTask.BinaryClassification, options);
    }

    /// <summary>A binary LSTM/GRU over token ids; see <see cref="RnnTrainer.Options"/> for the defaults.</summary>
    public static RnnTrainer Rnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RnnTrainer(PredictionTask.BinaryClassification, options);
    }

    /// <summary>A multiclass LSTM/GRU over token ids; see <see cref="RnnTrainer.Options"/> for the defaults.</summary>
    public static RnnTrainer Rnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RnnTrainer(PredictionTask.MulticlassClassification, options);
    }

    /// <summary>A regression LSTM/GRU over token ids or numeric sequences; see <see cref="RnnTrainer.Options"/> for the defaults.</summary>
    public static RnnTrainer Rnn(this RegressionCatalog.RegressionTrainers catalog, RnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RnnTrainer(PredictionTask.Regression, options);
    }

    /// <summary>A binary transformer-encoder text classifier; see <see cref="TransformerTrainer.Options"/> for the defaults.</summary>
    public static TransformerTrainer TransformerEncoder(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, TransformerTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TransformerTrainer(PredictionTask.BinaryClassification, options);
    }

    /// <summary>A multiclass transformer-encoder text classifier; see <see cref="TransformerTrainer.Options"/> for the defaults.</summary>
    public static TransformerTrainer TransformerEncoder(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TransformerTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TransformerTrainer(PredictionTask.MulticlassClassification, options);
    }

    /// <summary>A transformer-encoder regressor over token ids; see <see cref="TransformerTrainer.Options"/> for the defaults.</summary>
    public static TransformerTrainer TransformerEncoder(this RegressionCatalog.RegressionTrainers catalog, TransformerTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TransformerTrainer(PredictionTask.Regression, options);
    }

    /// <summary>A binary LSTM/GRU over token ids with the common settings; see <see cref="RnnTrainer.Options"/> for the others.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Label column.</param>
    /// <param name="featureColumnName">Token-id column (from <c>TokenizeToIds</c>), or a numeric sequence with <see cref="RnnTrainer.Options.FeaturesPerStep"/>.</param>
    /// <param name="cell">LSTM or GRU.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">Learning rate.</param>
    public static RnnTrainer Rnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        RnnCell cell = RnnCell.Lstm, int hiddenSize = 128, int epochs = 5, double learningRate = 2e-3) =>
        Rnn(catalog, RnnOptions(labelColumnName, featureColumnName, cell, hiddenSize, epochs, learningRate));

    /// <summary>A binary transformer encoder over token ids with the common settings; see <see cref="TransformerTrainer.Options"/> for the others.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Label column.</param>
    /// <param name="featureColumnName">Token-id column (from <c>TokenizeToIds</c>).</param>
    /// <param name="modelDim">Embedding and attention width.</param>
    /// <param name="layers">Encoder blocks.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">Peak AdamW learning rate.</param>
    public static TransformerTrainer TransformerEncoder(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        int modelDim = 64, int layers = 1, int epochs = 5, double learningRate = 2e-3) =>
        TransformerEncoder(catalog, TransformerOptions(labelColumnName, featureColumnName, modelDim, layers, epochs, learningRate));

    /// <summary>A multiclass LSTM/GRU over token ids with the common settings; see <see cref="RnnTrainer.Options"/> for the others.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Label column.</param>
    /// <param name="featureColumnName">Token-id column (from <c>TokenizeToIds</c>), or a numeric sequence with <see cref="RnnTrainer.Options.FeaturesPerStep"/>.</param>
    /// <param name="cell">LSTM or GRU.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">Learning rate.</param>
    public static RnnTrainer Rnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        RnnCell cell = RnnCell.Lstm, int hiddenSize = 128, int epochs = 5, double learningRate = 2e-3) =>
        Rnn(catalog, RnnOptions(labelColumnName, featureColumnName, cell, hiddenSize, epochs, learningRate));

    /// <summary>A multiclass transformer encoder over token ids with the common settings; see <see cref="TransformerTrainer.Options"/> for the others.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Label column.</param>
    /// <param name="featureColumnName">Token-id column (from <c>TokenizeToIds</c>).</param>
    /// <param name="modelDim">Embedding and attention width.</param>
    /// <param name="layers">Encoder blocks.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">Peak AdamW learning rate.</param>
    public static TransformerTrainer TransformerEncoder(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        int modelDim = 64, int layers = 1, int epochs = 5, double learningRate = 2e-3) =>
        TransformerEncoder(catalog, TransformerOptions(labelColumnName, featureColumnName, modelDim, layers, epochs, learningRate));

    /// <summary>A regression LSTM/GRU over token ids with the common settings; see <see cref="RnnTrainer.Options"/> for the others.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Label column.</param>
    /// <param name="featureColumnName">Token-id column (from <c>TokenizeToIds</c>), or a numeric sequence with <see cref="RnnTrainer.Options.FeaturesPerStep"/>.</param>
    /// <param name="cell">LSTM or GRU.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">Learning rate.</param>
    public static RnnTrainer Rnn(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        RnnCell cell = RnnCell.Lstm, int hiddenSize = 128, int epochs = 5, double learningRate = 2e-3) =>
        Rnn(catalog, RnnOptions(labelColumnName, featureColumnName, cell, hiddenSize, epochs, learningRate));

    /// <summary>A regression transformer encoder over token ids with the common settings; see <see cref="TransformerTrainer.Options"/> for the others.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Label column.</param>
    /// <param name="featureColumnName">Token-id column (from <c>TokenizeToIds</c>).</param>
    /// <param name="modelDim">Embedding and attention width.</param>
    /// <param name="layers">Encoder blocks.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">Peak AdamW learning rate.</param>
    public static TransformerTrainer TransformerEncoder(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        int modelDim = 64, int layers = 1, int epochs = 5, double learningRate = 2e-3) =>
        TransformerEncoder(catalog, TransformerOptions(labelColumnName, featureColumnName, modelDim, layers, epochs, learningRate));

    private static RnnTrainer.Options RnnOptions(string label, string features, RnnCell cell, int hiddenSize, int epochs, double learningRate) =>
        new() { LabelColumnName = label, FeatureColumnName = features, Cell = cell, HiddenSize = hiddenSize, Epochs = epochs, LearningRate = learningRate };

    private static TransformerTrainer.Options TransformerOptions(string label, string features, int modelDim, int layers, int epochs, double learningRate) =>
        new() { LabelColumnName = label, FeatureColumnName = features, ModelDim = modelDim, Layers = layers, Epochs = epochs, LearningRate = learningRate };

    private static MlpTrainer.Options MlpOptions(string label, string features, int[]? hiddenLayers, int epochs, int batchSize, double learningRate)
    {
        var options = new MlpTrainer.Options { LabelColumnName = label, FeatureColumnName = features, Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate };
        if (hiddenLayers is not null)
            options.HiddenLayers = hiddenLayers;
        return options;
    }
}
