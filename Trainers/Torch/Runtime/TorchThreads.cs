using TorchSharp;

namespace MlToolkit.Trainers.Torch.Runtime;

/// <summary>
/// libtorch's intra-op thread count is one setting for the whole process. A trainer given a count sets it; one given
/// none must get libtorch's own default back, not whatever the previous trainer left (an MLP on a small table sets one
/// thread, and a GRU trained after it in the same process then ran on one thread, slower and with other numerics).
/// </summary>
internal static class TorchThreads
{
    // Read before this class first sets the count: libtorch's default for this machine.
    private static readonly Lazy<int> Default = new(() => torch.get_num_threads());

    /// <summary>Sets <paramref name="threads"/>, or libtorch's default when null.</summary>
    public static void Apply(int? threads)
    {
        var standard = Default.Value;
        var wanted = threads ?? standard;
        if (torch.get_num_threads() != wanted)
            torch.set_num_threads(wanted);
    }
}
