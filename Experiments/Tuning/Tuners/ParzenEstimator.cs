namespace MlToolkit.Experiments.Tuning.Tuners;

/// <summary>
/// A one-dimensional Parzen density on the unit interval: a uniform prior plus one Gaussian per observation, each
/// truncated to [0, 1], with a bandwidth that is the larger gap to its neighbours (the classic TPE rule), clipped so
/// that a few clustered points cannot collapse the density.
/// </summary>
internal sealed class ParzenEstimator
{
    private const double PriorWeight = 1.0;
    private readonly double[] _means;
    private readonly double[] _sigmas;
    private readonly double[] _weights;

    public ParzenEstimator(IReadOnlyList<double> observations)
    {
        var sorted = observations.Where(double.IsFinite).Select(v => Math.Clamp(v, 0, 1)).OrderBy(v => v).ToArray();
        var n = sorted.Length;
        var means = new List<double> { 0.5 };
        var sigmas = new List<double> { 1.0 };
        var weights = new List<double> { PriorWeight };
        var minSigma = 1.0 / Math.Min(100.0, 1.0 + n);
        for (var i = 0; i < n; i++)
        {
            var left = sorted[i] - (i > 0 ? sorted[i - 1] : 0.0);
            var right = (i < n - 1 ? sorted[i + 1] : 1.0) - sorted[i];
            means.Add(sorted[i]);
            sigmas.Add(Math.Clamp(Math.Max(left, right), minSigma, 1.0));
            weights.Add(1.0);
        }
        var total = weights.Sum();
        _means = means.ToArray();
        _sigmas = sigmas.ToArray();
        _weights = weights.Select(w => w / total).ToArray();
    }

    public double Sample(Random random)
    {
        var pick = random.NextDouble();
        var component = 0;
        for (var acc = _weights[0]; acc < pick && component < _weights.Length - 1; acc += _weights[++component])
        {
        }
        // Rejection keeps the draw inside [0, 1]; with σ ≤ 1 at least a third of the mass is inside, so this ends fast.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var x = _means[component] + _sigmas[component] * Gaussian(random);
            if (x is >= 0 and <= 1)
                return x;
        }
        return random.NextDouble();
    }

    public double LogDensity(double x)
    {
        double total = 0;
        for (var i = 0; i < _means.Length; i++)
        {
            var z = (x - _means[i]) / _sigmas[i];
            var mass = NormalCdf((1 - _means[i]) / _sigmas[i]) - NormalCdf(-_means[i] / _sigmas[i]);
            total += _weights[i] * Math.Exp(-0.5 * z * z) / (_sigmas[i] * Math.Sqrt(2 * Math.PI) * Math.Max(mass, 1e-12));
        }
        return Math.Log(Math.Max(total, 1e-300));
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double NormalCdf(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

    // Abramowitz and Stegun 7.1.26: absolute error below 1.5e-7, ample for ranking candidates.
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + 0.3275911 * x);
        var y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}

/// <summary>The categorical counterpart: a smoothed histogram over the choices.</summary>
internal sealed class CategoricalEstimator
{
    private readonly double[] _probabilities;

    public CategoricalEstimator(int choices, IEnumerable<int> observations)
    {
        var counts = Enumerable.Repeat(1.0 / choices, choices).ToArray();
        foreach (var index in observations)
            counts[index] += 1;
        var total = counts.Sum();
        _probabilities = counts.Select(c => c / total).ToArray();
    }

    public int Sample(Random random)
    {
        var pick = random.NextDouble();
        for (var i = 0; i < _probabilities.Length; i++)
        {
            pick -= _probabilities[i];
            if (pick <= 0)
                return i;
        }
        return _probabilities.Length - 1;
    }

    public double LogDensity(int index) => Math.Log(_probabilities[index]);
}
