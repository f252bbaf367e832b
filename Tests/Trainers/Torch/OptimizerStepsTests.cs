using System.Runtime;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>The no-GC region is process-wide: a test that holds one runs with no other test beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideGcCollection
{
    public const string Name = "process-wide GC";
}

[Collection(ProcessWideGcCollection.Name)]
public sealed class OptimizerStepsTests
{
    [Fact]
    public void A_step_still_runs_when_the_runtime_holds_a_no_gc_region_it_did_not_end()
    {
        // CI once failed a training with "The NoGCRegion mode was already in progress" from the step's own region
        // start. A region this test opens and leaves open puts the runtime in that state on purpose.
        TorchRuntime.EnsureLoaded();
        using var weights = new Parameter(zeros(3));
        var optimizer = optim.Adam(new[] { weights }, 0.1);
        weights.sum().backward();
        Assert.True(GC.TryStartNoGCRegion(1024 * 1024));

        OptimizerSteps.Step(optimizer);

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        // Adam's first step moves each weight by the learning rate against its gradient's sign.
        Assert.All(weights.data<float>().ToArray(), weight => Assert.Equal(-0.1f, weight, 1e-6f));
    }
}
