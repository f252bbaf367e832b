using Onnx;
using static MlToolkit.Models.Onnx.OnnxGraphBuilder;

namespace MlToolkit.Models.Onnx;

/// <summary>
/// A forest's flat node arrays as the attributes of ONNX's TreeEnsembleRegressor. ONNX wants each tree's nodes listed
/// together, root first, numbered from 0 within the tree, and a leaf marked as one; the forest module keeps every tree
/// in one array, a leaf pointing to itself both ways. Each tree is walked from its root depth first and numbered in
/// that order. A split sends a row to its true (left) node when the feature is at most the threshold; NaN compares
/// false and goes right, as in training, since no node declares that missing values track true.
/// </summary>
internal sealed class TreeEnsembleAttributes
{
    private readonly List<long> _treeIds = new(), _nodeIds = new(), _featureIds = new(), _trueIds = new(), _falseIds = new();
    private readonly List<string> _modes = new();
    private readonly List<float> _thresholds = new();
    private readonly List<long> _targetTrees = new(), _targetNodes = new(), _targetIds = new();
    private readonly List<float> _targetWeights = new();

    /// <param name="feature">Per node, the feature it splits on (any value at a leaf).</param>
    /// <param name="threshold">Per node, the split's threshold.</param>
    /// <param name="left">Per node, where a row at most the threshold goes; a leaf's own index.</param>
    /// <param name="right">Per node, where any other row goes; a leaf's own index.</param>
    /// <param name="values">Per node, <paramref name="outputs"/> values (read at leaves), node by node.</param>
    /// <param name="roots">Each tree's root.</param>
    /// <param name="outputs">Values per leaf: the regressor's targets.</param>
    public TreeEnsembleAttributes(long[] feature, float[] threshold, long[] left, long[] right, float[] values, long[] roots, int outputs)
    {
        Outputs = outputs;
        for (var tree = 0; tree < roots.Length; tree++)
        {
            var order = DepthFirst(roots[tree], left, right);
            var local = new Dictionary<long, long>(order.Count);
            foreach (var node in order)
                local[node] = local.Count;
            foreach (var node in order)
            {
                var leaf = left[node] == node;
                _treeIds.Add(tree);
                _nodeIds.Add(local[node]);
                _modes.Add(leaf ? "LEAF" : "BRANCH_LEQ");
                _featureIds.Add(leaf ? 0 : feature[node]);
                _thresholds.Add(leaf ? 0 : threshold[node]);
                _trueIds.Add(leaf ? 0 : local[left[node]]);
                _falseIds.Add(leaf ? 0 : local[right[node]]);
                if (leaf)
                    AddVotes(tree, local[node], values.AsSpan((int)(node * outputs), outputs));
            }
        }
    }

    /// <summary>Values per leaf.</summary>
    public int Outputs { get; }

    /// <summary>The attributes of a TreeEnsembleRegressor that averages the trees' leaf values.</summary>
    public AttributeProto[] Averaging() => new[]
    {
        Text("aggregate_function", "AVERAGE"), Int("n_targets", Outputs), Text("post_transform", "NONE"),
        Ints("nodes_treeids", _treeIds.ToArray()), Ints("nodes_nodeids", _nodeIds.ToArray()), Texts("nodes_modes", _modes),
        Ints("nodes_featureids", _featureIds.ToArray()), Floats("nodes_values", _thresholds),
        Ints("nodes_truenodeids", _trueIds.ToArray()), Ints("nodes_falsenodeids", _falseIds.ToArray()),
        Ints("target_treeids", _targetTrees.ToArray()), Ints("target_nodeids", _targetNodes.ToArray()),
        Ints("target_ids", _targetIds.ToArray()), Floats("target_weights", _targetWeights),
    };

    // A zero vote adds nothing to the sum; leaving it out keeps many-class forests small.
    private void AddVotes(int tree, long node, ReadOnlySpan<float> leafValues)
    {
        for (var target = 0; target < leafValues.Length; target++)
        {
            if (leafValues[target] == 0)
                continue;
            _targetTrees.Add(tree);
            _targetNodes.Add(node);
            _targetIds.Add(target);
            _targetWeights.Add(leafValues[target]);
        }
    }

    private static List<long> DepthFirst(long root, long[] left, long[] right)
    {
        var order = new List<long>();
        var pending = new Stack<long>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            order.Add(node);
            if (left[node] == node)
                continue;
            pending.Push(right[node]);
            pending.Push(left[node]);
        }
        return order;
    }
}
