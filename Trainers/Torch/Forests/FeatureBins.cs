namespace MlToolkit.Trainers.Torch.Forests;

/// <summary>
/// Every feature cut into at most <see cref="MaxBins"/> ordered bins, so that a node finds its best split by counting
/// rows per bin instead of sorting them. A feature with few distinct values gets one bin per value (its splits are
/// exact); one with more gets bins of about equal row counts. A row goes left of cut <c>b</c> when its value is at most
/// <see cref="Cut"/>(f, b), a midpoint between two observed values; a missing value (NaN) always goes right. Each bin
/// also keeps the lowest and highest value seen in it, so that a node can cut halfway between its own neighbouring
/// values (<see cref="Between"/>), as scikit-learn does, rather than just above its left side.
/// </summary>
internal sealed class FeatureBins
{
    public const int MaxBins = 255;
    private readonly float[][] _cuts;
    private readonly float[][] _lows;
    private readonly float[][] _highs;

    private FeatureBins(float[][] cuts, float[][] lows, float[][] highs, byte[][] binned, int rows)
    {
        (_cuts, _lows, _highs) = (cuts, lows, highs);
        Binned = binned;
        Rows = rows;
    }

    /// <summary>Bin of each row, per feature: <c>Binned[feature][row]</c>.</summary>
    public byte[][] Binned { get; }

    public int Rows { get; }

    public int Features => _cuts.Length;

    /// <summary>Bins of <paramref name="feature"/>: its cuts plus one.</summary>
    public int BinCount(int feature) => _cuts[feature].Length + 1;

    /// <summary>The threshold between bin <paramref name="bin"/> and the next.</summary>
    public float Cut(int feature, int bin) => _cuts[feature][bin];

    /// <summary>
    /// A threshold that sends bins up to <paramref name="left"/> left and bins from <paramref name="right"/> right
    /// (<paramref name="left"/> &lt; <paramref name="right"/>; the bins between hold none of the node's rows): halfway
    /// between the highest value of the one and the lowest of the other. Both hold values whenever a feature has a cut:
    /// missing values share the last bin with the column's largest value.
    /// </summary>
    public float Between(int feature, int left, int right) => Midpoint(_highs[feature][left], _lows[feature][right]);

    /// <summary>Bins the row-major <paramref name="features"/> [rows × featureCount].</summary>
    public static FeatureBins From(float[] features, int rows, int featureCount, CancellationToken cancellation)
    {
        var cuts = new float[featureCount][];
        var lows = new float[featureCount][];
        var highs = new float[featureCount][];
        var binned = new byte[featureCount][];
        var column = new float[rows];
        for (var f = 0; f < featureCount; f++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (var r = 0; r < rows; r++)
                column[r] = features[(long)r * featureCount + f];
            cuts[f] = CutsOf(column);
            binned[f] = new byte[rows];
            for (var r = 0; r < rows; r++)
                binned[f][r] = BinOf(cuts[f], column[r]);
            (lows[f], highs[f]) = RangesOf(column, binned[f], cuts[f].Length + 1);
        }
        return new FeatureBins(cuts, lows, highs, binned, rows);
    }

    /// <summary>The first bin whose cut is at least <paramref name="value"/>; NaN and values above every cut fall in the last bin.</summary>
    private static byte BinOf(float[] cuts, float value)
    {
        if (float.IsNaN(value))
            return (byte)cuts.Length;
        var index = Array.BinarySearch(cuts, value);
        return (byte)(index >= 0 ? index : ~index);
    }

    private static (float[] Lows, float[] Highs) RangesOf(float[] column, byte[] bins, int count)
    {
        var lows = Enumerable.Repeat(float.NaN, count).ToArray();
        var highs = Enumerable.Repeat(float.NaN, count).ToArray();
        for (var r = 0; r < column.Length; r++)
        {
            var (value, bin) = (column[r], bins[r]);
            if (float.IsNaN(value))
                continue;
            lows[bin] = float.IsNaN(lows[bin]) ? value : Math.Min(lows[bin], value);
            highs[bin] = float.IsNaN(highs[bin]) ? value : Math.Max(highs[bin], value);
        }
        return (lows, highs);
    }

    private static float[] CutsOf(float[] column)
    {
        var sorted = column.Where(v => !float.IsNaN(v)).ToArray();
        Array.Sort(sorted);
        var distinct = new List<float>();
        foreach (var value in sorted)
        {
            if (distinct.Count == 0 || distinct[^1] != value)
                distinct.Add(value);
        }
        if (distinct.Count <= MaxBins)
            return Enumerable.Range(0, Math.Max(0, distinct.Count - 1)).Select(i => Midpoint(distinct[i], distinct[i + 1])).ToArray();
        // Equal-count bins: a cut after every (rows / bins)-th sorted value, skipping repeats of the same value.
        var cuts = new List<float>();
        for (var b = 1; b < MaxBins; b++)
        {
            var at = (int)((long)sorted.Length * b / MaxBins);
            var upper = sorted[at];
            var lowerIndex = Array.BinarySearch(sorted, 0, at, upper);
            var below = lowerIndex >= 0 ? FirstOf(sorted, lowerIndex) - 1 : ~lowerIndex - 1;
            if (below < 0)
                continue;
            var cut = Midpoint(sorted[below], upper);
            if (cuts.Count == 0 || cut > cuts[^1])
                cuts.Add(cut);
        }
        return cuts.ToArray();
    }

    private static int FirstOf(float[] sorted, int index)
    {
        while (index > 0 && sorted[index - 1] == sorted[index])
            index--;
        return index;
    }

    /// <summary>Halfway, but never equal to the upper value (a float midpoint of neighbours can round up to it).</summary>
    private static float Midpoint(float lower, float upper)
    {
        var mid = (float)((lower + (double)upper) / 2);
        return mid < upper ? mid : lower;
    }
}
