using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>
/// Tensor-and-number operations that hold their <see cref="Scalar"/> until libtorch has used it. TorchSharp 0.107
/// frees a Scalar in its finalizer, and an implicit conversion (<c>tensor * 2.0</c>) leaves nothing referencing the
/// Scalar while the native call reads it, so a collection at that moment makes libtorch fail ("Unknown scalar type",
/// "toFloat"). Every number that meets a tensor in our forward passes and losses goes through here.
/// </summary>
internal static class HeldScalars
{
    public static Tensor Times(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.mul(scalar);
    }

    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar);
    }

    public static Tensor AtLeast(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.clamp_min(scalar);
    }

    public static Tensor NotEqualTo(this Tensor tensor, long value)
    {
        using var scalar = value.ToScalar();
        return tensor.ne(scalar);
    }

    public static Tensor GreaterThan(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.gt(scalar);
    }

    public static Tensor Squared(this Tensor tensor)
    {
        using var two = 2.0.ToScalar();
        return tensor.pow(two);
    }
}
