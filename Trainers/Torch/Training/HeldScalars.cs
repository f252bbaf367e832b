using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Training;

/// <summary>
/// Tensor-and-number operations that hold their <see cref="Scalar"/> until libtorch has used it. TorchSharp 0.107
/// frees a Scalar in its finalizer, and an implicit conversion (<c>tensor * 2.0</c>) leaves nothing referencing the
/// Scalar while the native call reads it, so a collection at that moment makes libtorch fail ("Unknown scalar type",
/// "toFloat"; "INTERNAL ASSERT FAILED at c10/core/Scalar.h" inside <c>pow</c> in a kernel machine's scoring, 2026-12-03).
/// Every number that meets a tensor in our forward passes and losses goes through here, and so do the TorchSharp
/// calls that make such a number themselves: <c>a + b</c> is <c>a.add(b)</c>, which TorchSharp writes as
/// <c>add(b, 1)</c>, and <c>square()</c> is <c>pow(2)</c>.
/// </summary>
internal static class HeldScalars
{
    // Held by a static field for the life of the process, so no collection can finalize them; libtorch only reads them.
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar Zero = 0.ToScalar();

    /// <summary><paramref name="tensor"/> + <paramref name="other"/>.</summary>
    public static Tensor Plus(this Tensor tensor, Tensor other) => tensor.add(other, One);

    /// <summary>Adds <paramref name="other"/> into <paramref name="tensor"/>.</summary>
    public static Tensor PlusInPlace(this Tensor tensor, Tensor other) => tensor.add_(other, One);

    public static Tensor Times(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.mul);

    public static Tensor Plus(this Tensor tensor, double value) => Held(value.ToScalar(), scalar => tensor.add(scalar, One));

    public static Tensor AtLeast(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.clamp_min);

    public static Tensor NotEqualTo(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.ne);

    public static Tensor GreaterThan(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.gt);

    public static Tensor Squared(this Tensor tensor) => Held(2.0.ToScalar(), tensor.pow);

    public static Tensor AtMost(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.clamp_max);

    public static Tensor FilledWhere(this Tensor tensor, Tensor mask, long value) => Held(value.ToScalar(), scalar => tensor.masked_fill(mask, scalar));

    public static Tensor GreaterOrEqualTo(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.ge);

    public static Tensor Times(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.mul);

    public static Tensor Minus(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.sub);

    public static Tensor DividedBy(this Tensor tensor, double value) => Held(value.ToScalar(), scalar => tensor.div(scalar));

    /// <summary>0, 1, …, <paramref name="count"/> − 1.</summary>
    public static Tensor Range(long count, ScalarType dtype, Device? device = null) => Held(count.ToScalar(), stop => arange(Zero, stop, One, dtype, device));

    public static Tensor LessOrEqualTo(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.le);

    public static Tensor Clamped(this Tensor tensor, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return tensor.clamp(low, high);
    }

    public static Tensor TimesInPlace(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.mul_);

    public static Tensor AtLeastInPlace(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.clamp_min_);

    private static Tensor Held(Scalar scalar, Func<Scalar, Tensor> operation)
    {
        using (scalar)
            return operation(scalar);
    }
}
