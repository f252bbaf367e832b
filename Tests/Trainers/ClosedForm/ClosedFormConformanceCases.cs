using Microsoft.ML;
using MlToolkit.Data;
using MlToolkit.Tests.Support;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Forests;
using MlToolkit.Trainers.Torch.Kernels;
using MlToolkit.Trainers.Torch.Neighbors;
using MlToolkit.Trainers.Torch.Scoring;
using MlToolkit.Trainers.Torch.Training;

namespace MlToolkit.Tests.Trainers.ClosedForm;

public sealed class NearestNeighborsMulticlassConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.MulticlassClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.Digits;
    protected override (double Floor, double Reached) Quality => (0.985, 0.9889);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new[] { ("Neighbors", (Action)(() => Data.Ml.MulticlassClassification.Trainers.NearestNeighbors(neighbors: 0))) };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new NearestNeighborsTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.MulticlassClassification.Trainers.NearestNeighbors(options);
    }
}

public sealed class NearestNeighborsBinaryConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.BinaryClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.BreastCancer;
    protected override (double Floor, double Reached) Quality => (0.96, 0.9646);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new[] { ("Neighbors", (Action)(() => Data.Ml.BinaryClassification.Trainers.NearestNeighbors(neighbors: 0))) };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new NearestNeighborsTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.BinaryClassification.Trainers.NearestNeighbors(options);
    }
}

public sealed class NearestNeighborsRegressionConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.Regression;
    protected override TorchTestData.Prepared Data => TorchTestData.Diabetes;
    protected override (double Floor, double Reached) Quality => (0.25, 0.2571);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new[] { ("Neighbors", (Action)(() => Data.Ml.Regression.Trainers.NearestNeighbors(neighbors: 0))) };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new NearestNeighborsTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.Regression.Trainers.NearestNeighbors(options);
    }
}

public sealed class KernelMachineMulticlassConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.MulticlassClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.Digits;
    protected override (double Floor, double Reached) Quality => (0.99, 0.9944);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new (string, Action)[]
    {
        ("Regularization", () => Data.Ml.MulticlassClassification.Trainers.KernelMachine(regularization: 0)),
        ("Gamma", () => Data.Ml.MulticlassClassification.Trainers.KernelMachine(gamma: double.NaN)),
        ("Landmarks", () => Data.Ml.MulticlassClassification.Trainers.KernelMachine(new KernelMachineTrainer.Options { Landmarks = 0 })),
    };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new KernelMachineTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.MulticlassClassification.Trainers.KernelMachine(options);
    }
}

public sealed class KernelMachineBinaryConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.BinaryClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.BreastCancer;
    protected override (double Floor, double Reached) Quality => (0.96, 0.9646);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new (string, Action)[]
    {
        ("Regularization", () => Data.Ml.BinaryClassification.Trainers.KernelMachine(regularization: 0)),
        ("Gamma", () => Data.Ml.BinaryClassification.Trainers.KernelMachine(gamma: double.NaN)),
        ("Landmarks", () => Data.Ml.BinaryClassification.Trainers.KernelMachine(new KernelMachineTrainer.Options { Landmarks = 0 })),
    };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new KernelMachineTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.BinaryClassification.Trainers.KernelMachine(options);
    }
}

public sealed class KernelMachineRegressionConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.Regression;
    protected override TorchTestData.Prepared Data => TorchTestData.Diabetes;
    protected override (double Floor, double Reached) Quality => (0.31, 0.3218);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new (string, Action)[]
    {
        ("Regularization", () => Data.Ml.Regression.Trainers.KernelMachine(regularization: 0)),
        ("Gamma", () => Data.Ml.Regression.Trainers.KernelMachine(gamma: double.NaN)),
        ("Landmarks", () => Data.Ml.Regression.Trainers.KernelMachine(new KernelMachineTrainer.Options { Landmarks = 0 })),
    };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new KernelMachineTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.Regression.Trainers.KernelMachine(options);
    }
}

public sealed class ForestMulticlassConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.MulticlassClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.Digits;
    protected override (double Floor, double Reached) Quality => (0.985, 0.9861);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new (string, Action)[]
    {
        ("Trees", () => Data.Ml.MulticlassClassification.Trainers.Forest(trees: 0)),
        ("FeatureFraction", () => Data.Ml.MulticlassClassification.Trainers.Forest(new ForestTrainer.Options { FeatureFraction = 1.5 })),
        ("MinLeafRows", () => Data.Ml.MulticlassClassification.Trainers.Forest(new ForestTrainer.Options { MinLeafRows = 0 })),
    };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new ForestTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.MulticlassClassification.Trainers.Forest(options);
    }
}

public sealed class ForestBinaryConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.BinaryClassification;
    protected override TorchTestData.Prepared Data => TorchTestData.BreastCancer;
    protected override (double Floor, double Reached) Quality => (0.96, 0.9646);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new (string, Action)[]
    {
        ("Trees", () => Data.Ml.BinaryClassification.Trainers.Forest(trees: 0)),
        ("FeatureFraction", () => Data.Ml.BinaryClassification.Trainers.Forest(new ForestTrainer.Options { FeatureFraction = 1.5 })),
        ("MinLeafRows", () => Data.Ml.BinaryClassification.Trainers.Forest(new ForestTrainer.Options { MinLeafRows = 0 })),
    };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new ForestTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.BinaryClassification.Trainers.Forest(options);
    }
}

public sealed class ForestRegressionConformance : ClosedFormTrainerConformance
{
    protected override PredictionTask Task => PredictionTask.Regression;
    protected override TorchTestData.Prepared Data => TorchTestData.Diabetes;
    protected override (double Floor, double Reached) Quality => (0.43, 0.4372);

    protected override IEnumerable<(string Option, Action Create)> InvalidSettings => new (string, Action)[]
    {
        ("Trees", () => Data.Ml.Regression.Trainers.Forest(trees: 0)),
        ("FeatureFraction", () => Data.Ml.Regression.Trainers.Forest(new ForestTrainer.Options { FeatureFraction = 1.5 })),
        ("MinLeafRows", () => Data.Ml.Regression.Trainers.Forest(new ForestTrainer.Options { MinLeafRows = 0 })),
    };

    protected override IEstimator<TorchPredictionTransformer> CreateTrainer(Action<ClosedFormTrainerOptions>? configure = null)
    {
        var options = new ForestTrainer.Options();
        configure?.Invoke(options);
        return Data.Ml.Regression.Trainers.Forest(options);
    }
}
