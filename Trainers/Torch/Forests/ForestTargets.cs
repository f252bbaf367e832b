namespace MlToolkit.Trainers.Torch.Forests;

/// <summary>
/// What trees fit, as <see cref="Outputs"/> values per row (row-major): one-hot classes, a 0/1 label or a standardized
/// value. With one-hot classes <see cref="ClassOf"/> holds each row's class, so that counting a row adds to one output
/// instead of all of them. Trees minimize the squared error summed over the outputs, which for one-hot classes is the
/// Gini impurity.
/// </summary>
internal sealed record ForestTargets(float[] Values, int Outputs, int[]? ClassOf)
{
    public int Rows => Values.Length / Outputs;

    /// <summary>Targets from the row-major [rows × outputs] one-hot, 0/1 or value matrix.</summary>
    public static ForestTargets From(double[] targets, int outputs, bool oneHot)
    {
        var values = Array.ConvertAll(targets, v => (float)v);
        if (!oneHot)
            return new ForestTargets(values, outputs, null);
        var rows = values.Length / outputs;
        var classOf = new int[rows];
        for (var r = 0; r < rows; r++)
            classOf[r] = Array.IndexOf(values, 1f, r * outputs, outputs) - r * outputs;
        return new ForestTargets(values, outputs, classOf);
    }

    /// <summary>Σ y² over row <paramref name="row"/>'s outputs (1 for a one-hot class).</summary>
    public double SquaredNorm(int row)
    {
        if (ClassOf is not null)
            return 1;
        var (start, norm) = (row * Outputs, 0.0);
        for (var o = 0; o < Outputs; o++)
            norm += (double)Values[start + o] * Values[start + o];
        return norm;
    }

    /// <summary>Adds row <paramref name="row"/>'s targets, <paramref name="weight"/> times, to <paramref name="sums"/> at <paramref name="offset"/>.</summary>
    public void AddTo(double[] sums, int offset, int row, int weight)
    {
        if (ClassOf is { } classes)
        {
            sums[offset + classes[row]] += weight;
            return;
        }
        var start = row * Outputs;
        for (var o = 0; o < Outputs; o++)
            sums[offset + o] += weight * (double)Values[start + o];
    }
}
