using System.Runtime;
using TorchSharp;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>
/// Runs optimizer steps with no garbage collection in between. TorchSharp 0.107's optimizers turn numbers into
/// <see cref="Scalar"/> temporaries inside <c>step()</c> and pass only their native handles on; a collection during
/// the step can finalize such a temporary while libtorch still reads it, which shows up, now and then, as a libtorch
/// <c>toFloat</c> check failure inside <c>Adam.step</c>. A no-GC region closes that window.
/// </summary>
internal static class OptimizerSteps
{
    // A step allocates a few small wrappers per parameter; this budget is ample and fits the ephemeral generation.
    private const long AllocationBudget = 8 * 1024 * 1024;
    private static readonly object Gate = new();

    public static void Step(torch.optim.Optimizer optimizer)
    {
        // The no-GC region is process-wide, so parallel trials take turns for the (short) step itself.
        lock (Gate)
        {
            var noCollection = GC.TryStartNoGCRegion(AllocationBudget);
            try
            {
                optimizer.step();
            }
            finally
            {
                if (noCollection && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                    GC.EndNoGCRegion();
            }
        }
    }
}
