using System.Numerics;

namespace MlToolkit.Experiments.Ensembles;

/// <summary>
/// Greedy selection's choice of the next member when the loss grows with the squared error between the blend and fixed
/// targets (the Brier score; MSE, RMSE and R² for regression). Blending and scoring every candidate takes two passes over
/// its values per round; expanding the blend's squared error, Σ((s + v)/m − t)² = (Σ(s − m·t)² + 2·v·(s − m·t) + Σv²)/m²,
/// leaves one vectorized dot product per candidate, the first term being the same for all of them. Selecting on
/// soybean's two repeats took 1.0 s of the last seconds of a 60 s search that reserved 0.5 s for it, and the members'
/// refits then did not fit (bench/README.md).
/// </summary>
internal sealed class SquaredErrorChoice
{
    private readonly IReadOnlyList<EnsembleCandidate> _candidates;
    private readonly double[] _squaredNorms;
    private readonly double[] _targets;
    private readonly double[] _residual;

    /// <param name="candidates">The candidates, each with as many values as <paramref name="targets"/>.</param>
    /// <param name="targets">What each value is compared with (rows × width).</param>
    public SquaredErrorChoice(IReadOnlyList<EnsembleCandidate> candidates, double[] targets)
    {
        _candidates = candidates;
        _targets = targets;
        _residual = new double[targets.Length];
        _squaredNorms = candidates.Select(c => c.Values.Sum(v => (double)v * v)).ToArray();
    }

    /// <summary>
    /// The index of the candidate whose addition to the blend of <paramref name="members"/> members summing to
    /// <paramref name="sum"/> gives the lowest squared error; the first of equals.
    /// </summary>
    public int Best(double[] sum, int members)
    {
        var size = members + 1;
        for (var i = 0; i < _residual.Length; i++)
            _residual[i] = sum[i] - size * _targets[i];
        var best = 0;
        var bestError = double.PositiveInfinity;
        for (var c = 0; c < _candidates.Count; c++)
        {
            var error = _squaredNorms[c] + 2 * Dot(_candidates[c].Values, _residual);
            if (error < bestError)
                (best, bestError) = (c, error);
        }
        return best;
    }

    private static double Dot(float[] values, double[] residual)
    {
        var lanes = Vector<float>.Count;
        var total = Vector<double>.Zero;
        var i = 0;
        for (; i <= values.Length - lanes; i += lanes)
        {
            Vector.Widen(new Vector<float>(values, i), out var low, out var high);
            total += low * new Vector<double>(residual, i) + high * new Vector<double>(residual, i + Vector<double>.Count);
        }
        var sum = Vector.Sum(total);
        for (; i < values.Length; i++)
            sum += values[i] * residual[i];
        return sum;
    }
}
