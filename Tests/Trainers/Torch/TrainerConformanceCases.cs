using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Tests.Support;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Cnn;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Tests.Trainers.Torch;

public sealed class MlpMulticlassConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.MulticlassClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.Digits;
    protected override QualityBar Quality => new(Epochs: 2, Floor: 0.80, Reached: 0.8189);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new MlpTrainer.Options { Epochs = 2, HiddenLayers = new[] { 32 } };
        configure?.Invoke(options);
        return Data.Ml.MulticlassClassification.Trainers.Mlp(options);
    }
}

public sealed class MlpBinaryConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.BinaryClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.BreastCancer;
    protected override QualityBar Quality => new(Epochs: 3, Floor: 0.88, Reached: 0.9027);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new MlpTrainer.Options { Epochs = 3, HiddenLayers = new[] { 16 }, BatchNorm = true, Dropout = 0.1 };
        configure?.Invoke(options);
        return Data.Ml.BinaryClassification.Trainers.Mlp(options);
    }
}

public sealed class MlpRegressionConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.Regression;
    protected override TorchTestData.Prepared Data => TorchTestData.Diabetes;
    protected override QualityBar Quality => new(Epochs: 60, Floor: 0.46, Reached: 0.4788);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new MlpTrainer.Options { Epochs = 60, HiddenLayers = new[] { 16 }, LearningRate = 0.05, HuberDelta = 50 };
        configure?.Invoke(options);
        return Data.Ml.Regression.Trainers.Mlp(options);
    }
}

public sealed class CnnMulticlassConformance : TorchTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.MulticlassClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.Digits;
    protected override QualityBar Quality => new(Epochs: 8, Floor: 0.65, Reached: 0.6769, LearningRate: 1e-2);

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<TorchTrainerOptions>? configure = null)
    {
        var options = new CnnTrainer.Options { Epochs = 2, Blocks = new[] { new ConvBlock(8) }, DenseLayers = new[] { 16 }, RandomCropPadding = 1, HorizontalFlip = true };
        configure?.Invoke(options);
        return Data.Ml.MulticlassClassification.Trainers.Cnn(options);
    }
}
