using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>Builds tensors from managed buffers in memory libtorch allocated itself.</summary>
/// <remarks>
/// A tensor made straight from a managed array can sit at any alignment, and MKL picks kernels by alignment, so
/// the same data then sums in a different order from run to run (seen as last-digit differences on 1-row
/// batches). Copying into a libtorch allocation makes training bit-for-bit reproducible.
/// </remarks>
internal static class Tensors
{
    /// <summary>A float tensor of <paramref name="shape"/> holding the first elements of <paramref name="values"/>.</summary>
    public static Tensor FromBuffer(float[] values, long[] shape)
    {
        var length = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        using var view = tensor(values.AsSpan(0, length).ToArray(), shape);
        return view.clone();
    }
}
