namespace MlToolkit.Trainers.Torch.Forests;

/// <summary>How one tree grows.</summary>
/// <param name="FeaturesPerSplit">Non-constant features a node tries (drawn at random, without replacement).</param>
/// <param name="MinLeafRows">Fewest rows (counting bootstrap repeats) on each side of a split.</param>
/// <param name="MaxDepth">Deepest a leaf may be; null grows until leaves are pure or too small to split.</param>
/// <param name="RandomSplits">Extra-trees: one random cut per tried feature instead of its best cut.</param>
internal sealed record TreeSettings(int FeaturesPerSplit, int MinLeafRows, int? MaxDepth, bool RandomSplits);

/// <summary>
/// Grows one CART tree on binned features: each node counts its rows and target sums per bin of the features it
/// tries, takes the cut with the largest drop in squared error (or, for extra-trees, a random cut per feature and the
/// best of those), and splits until no cut helps. Not thread-safe: one grower per tree.
/// </summary>
internal sealed class TreeGrower
{
    private const double MinGain = 1e-9;
    private readonly FeatureBins _bins;
    private readonly ForestTargets _targets;
    private readonly TreeSettings _settings;
    private readonly Random _random;
    private readonly int _outputs;
    private readonly double[] _binWeights = new double[FeatureBins.MaxBins + 1];
    private readonly double[] _binSums;
    private readonly double[] _leftSums;
    private readonly double[] _nodeSums;
    private readonly int[] _featureOrder;

    public TreeGrower(FeatureBins bins, ForestTargets targets, TreeSettings settings, Random random)
    {
        (_bins, _targets, _settings, _random, _outputs) = (bins, targets, settings, random, targets.Outputs);
        _binSums = new double[(FeatureBins.MaxBins + 1) * _outputs];
        _leftSums = new double[_outputs];
        _nodeSums = new double[_outputs];
        _featureOrder = Enumerable.Range(0, bins.Features).ToArray();
    }

    private readonly record struct Pending(int Node, int Start, int End, int Depth);

    private readonly record struct Split(int Feature, int Bin, double Gain, float Threshold);

    /// <summary>Grows a tree on <paramref name="rows"/> (each taken <paramref name="weights"/>[row] times).</summary>
    public TreeNodes Grow(int[] rows, int[] weights, CancellationToken cancellation)
    {
        var tree = new TreeNodes(_outputs);
        var pending = new Stack<Pending>();
        pending.Push(new Pending(tree.Add(), 0, rows.Length, 0));
        while (pending.Count > 0)
        {
            var (node, start, end, depth) = pending.Pop();
            if ((tree.Count & 1023) == 0)
                cancellation.ThrowIfCancellationRequested();
            tree.Depth = Math.Max(tree.Depth, depth);
            var (weight, squares) = NodeSums(rows, weights, start, end);
            tree.SetValues(node, _nodeSums, weight);
            var pure = squares - Score(_nodeSums, weight) <= MinGain * weight;
            if (pure || weight < 2 * _settings.MinLeafRows || depth == _settings.MaxDepth || BestSplit(rows, weights, start, end, weight) is not { } split)
                continue;
            var middle = Partition(rows, start, end, _bins.Binned[split.Feature], split.Bin);
            var (left, right) = (tree.Add(), tree.Add());
            tree.MakeSplit(node, split.Feature, split.Threshold, left, right);
            pending.Push(new Pending(right, middle, end, depth + 1));
            pending.Push(new Pending(left, start, middle, depth + 1));
        }
        return tree;
    }

    /// <summary>The node's target sums (into the node buffer), its weight and its weighted Σ y².</summary>
    private (double Weight, double Squares) NodeSums(int[] rows, int[] weights, int start, int end)
    {
        Array.Clear(_nodeSums);
        var (weight, squares) = (0.0, 0.0);
        for (var i = start; i < end; i++)
        {
            var row = rows[i];
            _targets.AddTo(_nodeSums, 0, row, weights[row]);
            weight += weights[row];
            squares += weights[row] * _targets.SquaredNorm(row);
        }
        return (weight, squares);
    }

    /// <summary>
    /// The best split over up to <see cref="TreeSettings.FeaturesPerSplit"/> features that vary in the node (features
    /// constant here do not count, as in scikit-learn); null when none improves on the node.
    /// </summary>
    private Split? BestSplit(int[] rows, int[] weights, int start, int end, double weight)
    {
        var parentScore = Score(_nodeSums, weight);
        Split? best = null;
        var tried = 0;
        for (var i = 0; i < _featureOrder.Length && tried < _settings.FeaturesPerSplit; i++)
        {
            var swap = _random.Next(i, _featureOrder.Length);
            (_featureOrder[i], _featureOrder[swap]) = (_featureOrder[swap], _featureOrder[i]);
            var feature = _featureOrder[i];
            if (!Histogram(rows, weights, start, end, feature, out var lowest, out var highest))
                continue;
            tried++;
            if (BestCut(feature, lowest, highest, weight, parentScore) is { } split && split.Gain > (best?.Gain ?? MinGain * weight))
                best = split;
        }
        return best;
    }

    /// <summary>Rows and target sums per bin of <paramref name="feature"/>; false when the node's rows all share one bin.</summary>
    private bool Histogram(int[] rows, int[] weights, int start, int end, int feature, out int lowest, out int highest)
    {
        var bins = _bins.Binned[feature];
        var count = _bins.BinCount(feature);
        Array.Clear(_binWeights, 0, count);
        Array.Clear(_binSums, 0, count * _outputs);
        (lowest, highest) = (int.MaxValue, -1);
        for (var i = start; i < end; i++)
        {
            var row = rows[i];
            int bin = bins[row];
            _binWeights[bin] += weights[row];
            _targets.AddTo(_binSums, bin * _outputs, row, weights[row]);
            lowest = Math.Min(lowest, bin);
            highest = Math.Max(highest, bin);
        }
        return highest > lowest;
    }

    /// <summary>The best cut between <paramref name="lowest"/> and <paramref name="highest"/> bins, or one random cut (extra-trees).</summary>
    private Split? BestCut(int feature, int lowest, int highest, double weight, double parentScore)
    {
        var (from, to) = _settings.RandomSplits ? RandomCut(lowest, highest) : (lowest, highest - 1);
        Array.Clear(_leftSums);
        var leftWeight = 0.0;
        for (var bin = lowest; bin < from; bin++)
            AddBin(bin, ref leftWeight);
        var (bestBin, bestGain) = (-1, double.NegativeInfinity);
        for (var bin = from; bin <= to; bin++)
        {
            AddBin(bin, ref leftWeight);
            var rightWeight = weight - leftWeight;
            if (leftWeight < _settings.MinLeafRows || rightWeight < _settings.MinLeafRows)
                continue;
            var gain = Score(_leftSums, leftWeight) + RightScore(rightWeight) - parentScore;
            if (gain > bestGain)
                (bestBin, bestGain) = (bin, gain);
        }
        return bestBin < 0 ? null : new Split(feature, bestBin, bestGain, Threshold(feature, bestBin, lowest, highest));
    }

    /// <summary>
    /// Halfway between the node's own values either side of cut <paramref name="bin"/>: its highest value in the
    /// occupied bins up to the cut and its lowest in those after it, so that unseen values between them split evenly.
    /// </summary>
    private float Threshold(int feature, int bin, int lowest, int highest)
    {
        var left = bin;
        while (left > lowest && _binWeights[left] == 0)
            left--;
        var right = bin + 1;
        while (right < highest && _binWeights[right] == 0)
            right++;
        return _bins.Between(feature, left, right);
    }

    private (int From, int To) RandomCut(int lowest, int highest)
    {
        var cut = _random.Next(lowest, highest);
        return (cut, cut);
    }

    private void AddBin(int bin, ref double leftWeight)
    {
        leftWeight += _binWeights[bin];
        for (var o = 0; o < _outputs; o++)
            _leftSums[o] += _binSums[bin * _outputs + o];
    }

    /// <summary>Σ sum² / weight: the squared error of a node is Σ y² minus this, so a split's gain is the rise in it.</summary>
    private double Score(double[] sums, double weight)
    {
        var score = 0.0;
        for (var o = 0; o < _outputs; o++)
            score += sums[o] * sums[o];
        return score / weight;
    }

    private double RightScore(double weight)
    {
        var score = 0.0;
        for (var o = 0; o < _outputs; o++)
        {
            var right = _nodeSums[o] - _leftSums[o];
            score += right * right;
        }
        return score / weight;
    }

    /// <summary>Moves the rows whose bin is at most <paramref name="bin"/> before the others; returns the first of the others.</summary>
    private static int Partition(int[] rows, int start, int end, byte[] bins, int bin)
    {
        var middle = start;
        for (var i = start; i < end; i++)
        {
            if (bins[rows[i]] > bin)
                continue;
            (rows[i], rows[middle]) = (rows[middle], rows[i]);
            middle++;
        }
        return middle;
    }
}
