using Microsoft.ML;
using MlToolkit.Tests.Support;
using MlToolkit.Tests.Trainers.Torch;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Kernels;
using MlToolkit.Trainers.Torch.Neighbors;

namespace MlToolkit.Tests.Trainers.ClosedForm;

/// <summary>What is particular to each closed-form trainer, beyond the shared conformance suite.</summary>
[Collection(TorchCollection.Name)]
public sealed class ClosedFormBehaviourTests
{
    private static readonly TorchTestData.Prepared Digits = TorchTestData.Digits;

    [Fact]
    public void One_nearest_neighbour_gives_back_every_training_label()
    {
        var model = Digits.Ml.MulticlassClassification.Trainers.NearestNeighbors(neighbors: 1).Fit(Digits.Train);
        var metrics = Digits.Ml.MulticlassClassification.Evaluate(model.Transform(Digits.Train));
        Assert.Equal(1.0, metrics.MicroAccuracy);
    }

    [Fact]
    public void Distance_weighting_changes_the_scores_but_not_the_quality_much()
    {
        var uniform = Digits.Ml.MulticlassClassification.Trainers.NearestNeighbors(neighbors: 10).Fit(Digits.Train);
        var weighted = Digits.Ml.MulticlassClassification.Trainers.NearestNeighbors(neighbors: 10, weighting: NeighborWeighting.Distance).Fit(Digits.Train);
        Assert.NotEqual(ScoreValues.Of(uniform.Transform(Digits.Test)), ScoreValues.Of(weighted.Transform(Digits.Test)));
        var accuracy = Digits.Ml.MulticlassClassification.Evaluate(weighted.Transform(Digits.Test)).MicroAccuracy;
        Measured.AtLeast(accuracy, 0.985, 0.9889, "10 distance-weighted neighbours, digits held out");
    }

    [Fact]
    public void The_nystrom_approximation_on_600_landmarks_stays_close_to_the_exact_kernel_machine()
    {
        var options = new KernelMachineTrainer.Options { MaxExactRows = 500, Landmarks = 600 };
        var model = Digits.Ml.MulticlassClassification.Trainers.KernelMachine(options).Fit(Digits.Train);
        Assert.Equal(600, ((KernelMachineArchitecture)model.Network.Architecture).Landmarks);
        var metrics = Digits.Ml.MulticlassClassification.Evaluate(model.Transform(Digits.Test));
        Measured.AtLeast(metrics.MicroAccuracy, 0.988, 0.9916, "Nyström kernel machine (600 landmarks), digits held out");
    }

    [Fact]
    public void The_fitted_temperature_makes_probabilities_sharper_than_raw_ridge_scores()
    {
        // One-hot ridge scores lie near [0, 1]: without a temperature every softmax would be close to uniform (log-loss ≈ 2.2 on 10 classes).
        var model = Digits.Ml.MulticlassClassification.Trainers.KernelMachine().Fit(Digits.Train);
        var logLoss = Digits.Ml.MulticlassClassification.Evaluate(model.Transform(Digits.Test)).LogLoss;
        Measured.AtMost(logLoss, 0.015, 0.0119, "kernel machine log-loss, digits held out");
    }
}
