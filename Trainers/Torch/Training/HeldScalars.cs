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
    public static Tensor Times(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.mul);

    public static Tensor Plus(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.add);

    public static Tensor AtLeast(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.clamp_min);

    public static Tensor NotEqualTo(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.ne);

    public static Tensor GreaterThan(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.gt);

    public static Tensor Squared(this Tensor tensor) => Held(2.0.ToScalar(), tensor.pow);

    private static Tensor Held(Scalar scalar, Func<Scalar, Tensor> operation)
    {
        using (scalar)
            return operation(scalar);
    }
}
