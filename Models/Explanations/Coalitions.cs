namespace MlToolkit.Models.Explanations;

/// <summary>The coalitions Kernel SHAP evaluates and their weights: every one (Shapley kernel weights) or paired samples.</summary>
internal sealed class Coalitions
{
    private Coalitions(int features, List<bool[]> masks, List<double> weights, bool exact)
    {
        Features = features;
        Masks = masks;
        Weights = weights;
        Exact = exact;
    }

    public int Features { get; }

    public IReadOnlyList<bool[]> Masks { get; }

    public IReadOnlyList<double> Weights { get; }

    public bool Exact { get; }

    public static Coalitions For(int features, int budget, Random random)
    {
        var masks = new List<bool[]>();
        var weights = new List<double>();
        if (features < 2)
            return new Coalitions(features, masks, weights, true);
        if (IsExact(features, budget))
        {
            for (long bits = 1; bits < (1L << features) - 1; bits++)
            {
                var mask = Enumerable.Range(0, features).Select(j => (bits >> j & 1) == 1).ToArray();
                masks.Add(mask);
                weights.Add(ShapleyKernel(features, mask.Count(b => b)));
            }
            return new Coalitions(features, masks, weights, true);
        }
        var sizeWeights = Enumerable.Range(1, features - 1).Select(s => (features - 1.0) / (s * (features - s))).ToArray();
        var totalWeight = sizeWeights.Sum();
        for (var pair = 0; pair < budget / 2; pair++)
        {
            var size = DrawSize(sizeWeights, totalWeight, random) + 1;
            var mask = new bool[features];
            foreach (var j in Enumerable.Range(0, features).ToArray().Shuffled(random).Take(size))
                mask[j] = true;
            masks.Add(mask);
            masks.Add(mask.Select(b => !b).ToArray());
            weights.Add(1);
            weights.Add(1);
        }
        return new Coalitions(features, masks, weights, false);
    }

    /// <summary>
    /// How many coalitions <see cref="For"/> makes: none below 2 features, all 2^M − 2 when they fit in
    /// <paramref name="budget"/>, else <paramref name="budget"/>/2 sampled pairs.
    /// </summary>
    public static int Count(int features, int budget) =>
        features < 2 ? 0 : IsExact(features, budget) ? (int)((1L << features) - 2) : budget / 2 * 2;

    private static bool IsExact(int features, int budget) => features < 31 && (1L << features) - 2 <= budget;

    /// <summary>(M − 1) / (C(M, s) · s · (M − s)).</summary>
    private static double ShapleyKernel(int m, int s) => (m - 1.0) / (Binomial(m, s) * s * (m - s));

    private static double Binomial(int n, int k)
    {
        double result = 1;
        for (var i = 1; i <= k; i++)
            result = result * (n - k + i) / i;
        return result;
    }

    private static int DrawSize(double[] weights, double total, Random random)
    {
        var u = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0)
                return i;
        }
        return weights.Length - 1;
    }
}
