using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Forests;

/// <summary>
/// A forest of decision trees as a network: the nodes of all trees are buffers, and the forward pass walks each row
/// down each tree to its leaf (at most <see cref="Depth"/> steps; a leaf points to itself; <see cref="ForestWalk"/>),
/// then averages the leaves' values: class shares (as logits for the head), P(true), or the standardized value.
/// </summary>
/// <param name="Nodes">Nodes of all trees.</param>
/// <param name="Trees">Trees.</param>
/// <param name="Depth">Deepest leaf of any tree.</param>
/// <param name="Output">What the output means to the head.</param>
public sealed record ForestArchitecture(int Nodes, int Trees, int Depth, ClosedFormOutput Output) : NetworkArchitecture
{
    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape, int outputSize) => new ForestModule(this, outputSize);
}

internal sealed class ForestModule : nn.Module<Tensor, Tensor>
{
    private readonly ForestArchitecture _shape;
    private readonly Tensor _feature;
    private readonly Tensor _threshold;
    private readonly Tensor _left;
    private readonly Tensor _right;
    private readonly Tensor _values;
    private readonly Tensor _roots;

    public ForestModule(ForestArchitecture shape, int outputSize) : base("forest")
    {
        _shape = shape;
        _feature = zeros(shape.Nodes, dtype: ScalarType.Int64);
        _threshold = zeros(shape.Nodes);
        _left = zeros(shape.Nodes, dtype: ScalarType.Int64);
        _right = zeros(shape.Nodes, dtype: ScalarType.Int64);
        _values = zeros(shape.Nodes, outputSize);
        _roots = zeros(shape.Trees, dtype: ScalarType.Int64);
        register_buffer("feature", _feature);
        register_buffer("threshold", _threshold);
        register_buffer("left", _left);
        register_buffer("right", _right);
        register_buffer("values", _values);
        register_buffer("roots", _roots);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.reshape(input.shape[0], -1).to_type(ScalarType.Float32).cpu().contiguous();
        var buffers = new ForestBuffers(_feature, _threshold, _left, _right, _values, _roots);
        var average = tensor(ForestWalk.Average(x, buffers, _shape.Depth), new long[] { x.shape[0], buffers.Outputs });
        return ClosedFormOutputs.FromProbabilities(average, _shape.Output).to_type(input.dtype).to(input.device).MoveToOuterDisposeScope();
    }
}
