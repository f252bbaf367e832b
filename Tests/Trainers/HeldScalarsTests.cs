using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Tests.Trainers;

/// <summary>Each held-scalar operation gives what the TorchSharp operation it stands for gives.</summary>
[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class HeldScalarsTests
{
    [Fact]
    public void Held_scalar_operations_equal_the_plain_ones()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -2.0, -0.5, 0.0, 0.25, 3.0 });
        var ids = tensor(new long[] { 0, 4, 7, 9 });
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.25, 1.0 }, x.Clamped(0, 1).data<double>().ToArray());
        Assert.Equal(new[] { -2.0, -0.5, 0.0, 0.25, 0.5 }, x.AtMost(0.5).data<double>().ToArray());
        Assert.Equal(new[] { true, true, true, false, false }, x.LessOrEqualTo(0).data<bool>().ToArray());
        Assert.Equal(new[] { false, false, true, true }, ids.GreaterOrEqualTo(7).data<bool>().ToArray());
        Assert.Equal(new long[] { 0, 4, 0, 0 }, ids.FilledWhere(ids.GreaterOrEqualTo(7), 0).data<long>().ToArray());
        Assert.Equal(new[] { 4.0, 1.0, -0.0, -0.5, -6.0 }, x.clone().TimesInPlace(-2).data<double>().ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.25, 3.0 }, x.clone().AtLeastInPlace(0).data<double>().ToArray());
    }
}
