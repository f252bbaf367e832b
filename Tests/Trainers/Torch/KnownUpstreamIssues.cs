using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>Reproductions of defects below our code, kept to check a new TorchSharp/libtorch against.</summary>
[Collection(TorchCollection.Name)]
public sealed class KnownUpstreamIssues
{
    [Fact(Skip = "Fails on TorchSharp 0.107 / libtorch 2.10 CPU (found 2026-11-30): the gradients of the first conv block turn NaN after "
        + "0 to ~300 steps on one batch, at a different step each run, even with no weight update between steps, one torch thread and no "
        + "GC (a kernel reading memory it did not write; 4 to 24 channels, 8x8 or 28x28 images, with or without batch norm or pooling). "
        + "Training then stops with TrainingDivergedException. Unskip to check a new libtorch.")]
    public void Conv_gradients_stay_finite_over_repeated_steps_on_one_batch()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(1);
        var module = new CnnArchitecture(new[] { new ConvBlock(8, BatchNorm: true), new ConvBlock(6) }, new[] { 10 }, 0).Build(new long[] { 1, 8, 8 }, 10);
        module.train();
        var optimizer = optim.Adam(module.parameters(), 1e-3);
        var x = rand(32, 1, 8, 8);
        var y = randint(0, 10, new long[] { 32 });
        for (var step = 0; step < 500; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(module.forward(x), y).backward();
            var broken = module.named_parameters().Where(p => p.parameter.grad is { } g && g.isnan().any().item<bool>()).Select(p => p.name).ToList();
            Assert.True(broken.Count == 0, $"NaN gradients at step {step}: {string.Join(", ", broken)}");
            OptimizerSteps.Step(optimizer);
        }
    }
}
