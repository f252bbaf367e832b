using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Neighbors;
using MlToolkit.Trainers.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Kernels;

/// <summary>
/// An RBF kernel machine as a network: output = temperature · (exp(−γ‖x − l‖²) · coefficients + bias) over its
/// <see cref="Landmarks"/> rows l (all training rows when solved exactly, a sample when Nyström-approximated).
/// </summary>
/// <param name="Landmarks">Rows the kernel is taken against.</param>
/// <param name="Gamma">γ of the RBF kernel.</param>
/// <param name="Output">What the output means to the head.</param>
public sealed record KernelMachineArchitecture(int Landmarks, double Gamma, ClosedFormOutput Output) : NetworkArchitecture
{
    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize) =>
        new KernelMachineModule(this, inputShape.Aggregate(1L, (a, b) => a * b), outputSize);
}

internal sealed class KernelMachineModule : nn.Module<Tensor, Tensor>
{
    private readonly double _gamma;
    private readonly Tensor _landmarks;
    private readonly Tensor _coefficients;
    private readonly Tensor _bias;
    private readonly Tensor _temperature;

    public KernelMachineModule(KernelMachineArchitecture shape, long featureSize, int outputSize) : base("kernel_machine")
    {
        _gamma = shape.Gamma;
        // Float64 throughout: scores are multiplied by a temperature of up to 1,000, and float32 distances computed as
        // ‖x‖² + ‖l‖² − 2x·l lose digits that then differ between a batch and a single row.
        _landmarks = zeros(shape.Landmarks, featureSize, dtype: ScalarType.Float64);
        _coefficients = zeros(shape.Landmarks, outputSize, dtype: ScalarType.Float64);
        _bias = zeros(outputSize, dtype: ScalarType.Float64);
        _temperature = ones(1, dtype: ScalarType.Float64);
        register_buffer("landmarks", _landmarks);
        register_buffer("coefficients", _coefficients);
        register_buffer("bias", _bias);
        register_buffer("temperature", _temperature);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.reshape(input.shape[0], -1).to_type(ScalarType.Float64);
        var kernel = SquaredDistances.Between(x, _landmarks).Times(-_gamma).exp();
        return kernel.matmul(_coefficients).Plus(_bias).mul(_temperature).to_type(input.dtype).MoveToOuterDisposeScope();
    }
}
