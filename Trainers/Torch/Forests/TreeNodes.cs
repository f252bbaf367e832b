namespace MlToolkit.Trainers.Torch.Forests;

/// <summary>
/// The nodes of grown trees in flat arrays, as the forest module stores them: a split node sends a row to
/// <see cref="Left"/> when its <see cref="Feature"/> is at most <see cref="Threshold"/>, else to <see cref="Right"/>; a
/// leaf has feature −1, points to itself both ways and holds <see cref="Outputs"/> values (class shares or a mean).
/// </summary>
internal sealed class TreeNodes
{
    public TreeNodes(int outputs) => Outputs = outputs;

    public int Outputs { get; }

    public List<int> Feature { get; } = new();

    public List<float> Threshold { get; } = new();

    public List<int> Left { get; } = new();

    public List<int> Right { get; } = new();

    public List<float> Values { get; } = new();

    public int Count => Feature.Count;

    /// <summary>Deepest leaf's depth (the root is 0): the steps a row takes at most.</summary>
    public int Depth { get; set; }

    /// <summary>Adds a node, a leaf until <see cref="MakeSplit"/>; returns its index.</summary>
    public int Add()
    {
        var index = Count;
        Feature.Add(-1);
        Threshold.Add(0);
        Left.Add(index);
        Right.Add(index);
        for (var o = 0; o < Outputs; o++)
            Values.Add(0);
        return index;
    }

    public void MakeSplit(int node, int feature, float threshold, int left, int right)
    {
        Feature[node] = feature;
        Threshold[node] = threshold;
        Left[node] = left;
        Right[node] = right;
    }

    public void SetValues(int node, double[] sums, double weight)
    {
        for (var o = 0; o < Outputs; o++)
            Values[node * Outputs + o] = (float)(sums[o] / weight);
    }

    /// <summary>Appends <paramref name="tree"/>'s nodes, renumbered after these; returns where its root landed.</summary>
    public int Append(TreeNodes tree)
    {
        var offset = Count;
        Feature.AddRange(tree.Feature);
        Threshold.AddRange(tree.Threshold);
        Left.AddRange(tree.Left.Select(i => i + offset));
        Right.AddRange(tree.Right.Select(i => i + offset));
        Values.AddRange(tree.Values);
        Depth = Math.Max(Depth, tree.Depth);
        return offset;
    }
}
