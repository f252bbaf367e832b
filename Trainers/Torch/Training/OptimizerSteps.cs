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
            var noCollection = StartRegion();
            try
            {
                optimizer.step();
            }
            finally
            {
                if (noCollection)
                    EndRegion();
            }
        }
    }

    /// <summary>
    /// Starts the region; false when the runtime will not. The runtime can refuse with "The NoGCRegion mode was already
    /// in progress" after it left an earlier region on its own (another thread's allocations spent the budget; seen in
    /// CI with tests training in parallel, and in dotnet/runtime#73602 before its fix). Ending that stale region and
    /// trying once more recovers; if that fails too, one step runs unprotected rather than failing the training.
    /// </summary>
    private static bool StartRegion()
    {
        try
        {
            return GC.TryStartNoGCRegion(AllocationBudget);
        }
        catch (InvalidOperationException)
        {
            ForgetRegion();
            try
            {
                return GC.TryStartNoGCRegion(AllocationBudget);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    // The runtime leaves the region by itself when a collection happens or the budget runs out; then there is nothing
    // to end.
    private static void EndRegion()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            ForgetRegion();
    }

    // EndNoGCRegion clears the runtime's record of the region even when it throws (the region had already ended).
    private static void ForgetRegion()
    {
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
        }
    }
}
