using MlToolkit.Trainers.Torch.Runtime;
using TorchSharp;

namespace MlToolkit.Tests.Trainers.Torch;

/// <summary>libtorch's thread count is process-wide: what one trainer sets must not carry over to the next.</summary>
[Collection(TorchCollection.Name)]
public sealed class TorchThreadsTests
{
    [Fact]
    public void A_trainer_without_a_thread_count_gets_libtorchs_default_back_after_one_that_set_one_thread()
    {
        TorchThreads.Apply(null);
        var standard = torch.get_num_threads();
        Assert.True(standard > 1 || Environment.ProcessorCount == 1, $"libtorch's default is {standard} threads on {Environment.ProcessorCount} cores");

        TorchThreads.Apply(1);
        Assert.Equal(1, torch.get_num_threads());
        TorchThreads.Apply(null);
        Assert.Equal(standard, torch.get_num_threads());
    }
}
