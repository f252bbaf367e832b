namespace MlToolkit.Models.Explanations;

/// <summary>Weighted least squares with an optional ridge penalty, by the normal equations (the systems here are small).</summary>
internal static class LinearSolver
{
    /// <summary>
    /// β minimizing Σ w_k (y_k − x_k·β)² + <paramref name="ridge"/>·|β|²; with <paramref name="intercept"/> an unpenalized
    /// intercept is fitted too and returned as the last element.
    /// </summary>
    public static double[] WeightedLeastSquares(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<double> w, double ridge = 0, bool intercept = false)
    {
        var width = (x.Count == 0 ? 0 : x[0].Length) + (intercept ? 1 : 0);
        var a = new double[width, width];
        var b = new double[width];
        var row = new double[width];
        for (var k = 0; k < x.Count; k++)
        {
            x[k].CopyTo(row, 0);
            if (intercept)
                row[width - 1] = 1;
            for (var i = 0; i < width; i++)
            {
                b[i] += w[k] * row[i] * y[k];
                for (var j = 0; j < width; j++)
                    a[i, j] += w[k] * row[i] * row[j];
            }
        }
        for (var i = 0; i < width - (intercept ? 1 : 0); i++)
            a[i, i] += ridge;
        return Solve(a, b);
    }

    /// <summary>Solves a·β = b by Gaussian elimination with partial pivoting; a singular direction gets 0.</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        var scale = 0.0;
        for (var i = 0; i < n; i++)
            scale = Math.Max(scale, Math.Abs(m[i, i]));
        var tiny = Math.Max(scale, 1) * 1e-12;
        var pivots = new bool[n];
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                    pivot = r;
            }
            if (Math.Abs(m[pivot, col]) < tiny)
                continue;
            pivots[col] = true;
            Swap(m, v, pivot, col, n);
            for (var r = 0; r < n; r++)
            {
                if (r == col || m[r, col] == 0)
                    continue;
                var factor = m[r, col] / m[col, col];
                for (var c = col; c < n; c++)
                    m[r, c] -= factor * m[col, c];
                v[r] -= factor * v[col];
            }
        }
        var solution = new double[n];
        for (var i = 0; i < n; i++)
            solution[i] = pivots[i] ? v[i] / m[i, i] : 0;
        return solution;
    }

    private static void Swap(double[,] m, double[] v, int r1, int r2, int n)
    {
        if (r1 == r2)
            return;
        for (var c = 0; c < n; c++)
            (m[r1, c], m[r2, c]) = (m[r2, c], m[r1, c]);
        (v[r1], v[r2]) = (v[r2], v[r1]);
    }
}
