using MlToolkit.Trainers.Torch.Training;
using MlToolkit.Trainers.Torch.Neighbors;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Kernels;

/// <summary>A kernel ridge solution: f(x) = K(x, landmarks) · coefficients, and leave-one-out scores of some training rows to calibrate on.</summary>
internal sealed record KernelRidgeFit(Tensor Landmarks, Tensor Coefficients, Tensor LeaveOneOut, Tensor LeaveOneOutTargets);

/// <summary>Kernel ridge regression with an RBF kernel, solved exactly or on Nyström landmarks (float64, Cholesky).</summary>
internal static class KernelRidge
{
    private const int Block = 4096;

    /// <summary>
    /// β = (K + λI)⁻¹ Y. The leave-one-out residual of row i is βᵢ / (K + λI)⁻¹ᵢᵢ, so the leave-one-out scores of
    /// every row come from the same inverse.
    /// </summary>
    public static KernelRidgeFit Exact(Tensor x, Tensor targets, double gamma, double lambda, CancellationToken cancellation)
    {
        var kernel = Rbf(x, x, gamma);
        cancellation.ThrowIfCancellationRequested();
        var inverse = cholesky_inverse(Cholesky(kernel.PlusInPlace(eye(x.shape[0], dtype: ScalarType.Float64).Times(lambda)), "K + λI"));
        cancellation.ThrowIfCancellationRequested();
        var coefficients = inverse.matmul(targets);
        var leaveOneOut = targets.sub(coefficients.div(inverse.diagonal().unsqueeze(1)));
        return new KernelRidgeFit(x, coefficients, leaveOneOut, targets);
    }

    /// <summary>
    /// β = (KₙₘᵀKₙₘ + λKₘₘ)⁻¹ KₙₘᵀY over <paramref name="landmarks"/> sampled rows (the Nyström / subset-of-regressors
    /// solution); leave-one-out scores of up to <paramref name="calibrationRows"/> sampled rows from the hat matrix's diagonal.
    /// </summary>
    public static KernelRidgeFit Nystrom(Tensor x, Tensor targets, double gamma, double lambda, int landmarks, int seed, int calibrationRows, CancellationToken cancellation)
    {
        var n = x.shape[0];
        var order = randperm(n, generator: new Generator((ulong)seed), dtype: ScalarType.Int64);
        var centres = x.index_select(0, order[..landmarks]);
        var gram = zeros(landmarks, landmarks, dtype: ScalarType.Float64);
        var projected = zeros(landmarks, targets.shape[1], dtype: ScalarType.Float64);
        for (long start = 0; start < n; start += Block)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var length = Math.Min(Block, n - start);
            var block = Rbf(x.narrow(0, start, length), centres, gamma);
            gram.PlusInPlace(block.t().matmul(block));
            projected.PlusInPlace(block.t().matmul(targets.narrow(0, start, length)));
        }
        var system = gram.Plus(Rbf(centres, centres, gamma).Times(lambda));
        system.PlusInPlace(eye(landmarks, dtype: ScalarType.Float64).Times(1e-10 * system.diagonal().mean().item<double>()));
        var inverse = cholesky_inverse(Cholesky(system, "KₙₘᵀKₙₘ + λKₘₘ"));
        var coefficients = inverse.matmul(projected);

        var sample = order[^(int)Math.Min(calibrationRows, n)..];
        var sampleKernel = Rbf(x.index_select(0, sample), centres, gamma);
        var sampleTargets = targets.index_select(0, sample);
        var leverage = sampleKernel.matmul(inverse).mul(sampleKernel).sum(1, keepdim: true).AtMost(1 - 1e-6);
        var leaveOneOut = sampleKernel.matmul(coefficients).sub(leverage.mul(sampleTargets)).div(leverage.neg().Plus(1));
        return new KernelRidgeFit(centres, coefficients, leaveOneOut, sampleTargets);
    }

    private static Tensor Rbf(Tensor a, Tensor b, double gamma) => SquaredDistances.Between(a, b).TimesInPlace(-gamma).exp_();

    private static Tensor Cholesky(Tensor matrix, string what)
    {
        var (factor, info) = linalg.cholesky_ex(matrix);
        if (info.max().item<int>() != 0)
            throw new InvalidOperationException($"The kernel system {what} is not positive definite in float64; raise Regularization.");
        return factor;
    }
}

/// <summary>One temperature T for the scores: the T whose softmax (sigmoid) of T · score has the lowest log-loss on held-out scores.</summary>
internal static class Temperature
{
    public static double Fit(Tensor scores, Tensor targets, MlToolkit.Trainers.Torch.Training.ClosedFormOutput output)
    {
        var best = (Temperature: 1.0, Loss: double.PositiveInfinity);
        var classes = targets.argmax(1);
        // Log-spaced from 0.1 to 1000: scores of one-hot ridge lie around [0, 1], so useful temperatures are 1 to a few hundred.
        for (var i = 0; i <= 80; i++)
        {
            var t = Math.Pow(10, -1 + i / 20.0);
            using var scope = NewDisposeScope();
            var logits = scores.Times(t);
            var loss = output == MlToolkit.Trainers.Torch.Training.ClosedFormOutput.BinaryLogit
                ? nn.functional.binary_cross_entropy_with_logits(logits, targets).item<double>()
                : nn.functional.cross_entropy(logits, classes).item<double>();
            if (loss < best.Loss)
                best = (t, loss);
        }
        return best.Temperature;
    }
}
